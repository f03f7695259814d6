// The CORS front a deployment puts before Orthanc (which sends no CORS headers) so a browser app on another origin
// may call its DICOMweb API: answers preflights and adds Access-Control-* headers for one allowed origin, forwarding
// everything else unchanged (nginx does the same with add_header; README, Deploying). Node only, loopback.
import { createServer, request } from 'node:http';

export interface CorsFront {
  url: string;
  /** When set, the next retrieval (WADO-RS multipart) response is cut after this many body bytes (then cleared). */
  cutNextRetrieval: number | null;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` and forwards to `target` (http://127.0.0.1:port), allowing `origin`. */
export function startCorsFront(target: string, origin: string, port: number): Promise<CorsFront> {
  const upstream = new URL(target);
  const cors = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Accept, Content-Type',
    'Access-Control-Expose-Headers': 'Content-Type, Content-Length',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
  const front = { cutNextRetrieval: null as number | null };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') { res.writeHead(204, cors); res.end(); return; }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, { ...up.headers, ...cors });
      const cut = /multipart\/related/.test(String(up.headers['content-type'])) ? front.cutNextRetrieval : null;
      if (cut === null) { up.pipe(res); return; }
      // A server that dies mid-retrieval: the connection drops after `cut` bytes of the body.
      front.cutNextRetrieval = null;
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        if (sent >= cut) return;
        const part = chunk.subarray(0, cut - sent);
        sent += part.length;
        res.write(part);
        if (sent >= cut) { up.destroy(); res.socket?.destroy(); }
      });
    });
    forward.on('error', () => { if (!res.headersSent) res.writeHead(502, cors); res.end(); });
    req.pipe(forward);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(Object.assign(front, {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    })));
  });
}
