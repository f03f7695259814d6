// A small misbehaving HTTP proxy in front of Orthanc, for what Orthanc itself never does: fail on purpose (503),
// answer with HTML or an absurd Content-Length, redirect, or drop the connection halfway through a body. It records
// the headers of every request it receives (to check where an Authorization header went). Node only, loopback.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyHooks {
  /** Answer a request itself (return true) instead of forwarding it; `n` counts requests from 1. */
  intercept?(req: IncomingMessage, res: ServerResponse, n: number): boolean;
  /** Destroy the client's connection after forwarding this many body bytes of a response. */
  cutAfterBytes?: number;
}

export interface Proxy {
  url: string;
  /** Headers of every request received, in order. */
  requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Listens on a free loopback port and forwards to `target` (http://127.0.0.1:port), misbehaving as `hooks` say. */
export function startProxy(target: string, hooks: ProxyHooks = {}): Promise<Proxy> {
  const requests: IncomingHttpHeaders[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    requests.push(req.headers);
    if (hooks.intercept?.(req, res, requests.length)) return;
    const forward = request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: upstream.host },
    }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        const cut = hooks.cutAfterBytes;
        if (cut !== undefined && sent + chunk.length > cut) {
          res.write(chunk.subarray(0, cut - sent), () => res.socket?.destroy());
          sent = cut;
          up.destroy();
          return;
        }
        sent += chunk.length;
        res.write(chunk);
      });
      up.on('end', () => res.end());
    });
    forward.on('error', () => res.socket?.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
