// `lucid batch submit|worker|status|report …`: screening or enhancement of a PACS archive as BullMQ jobs on Redis, with
// workers on as many machines as are started. Dispatches to the sub-commands; BullMQ is used only under cli/batch/.
// Node only.
import { usageError } from '../dicomwebInput';
import { report, status } from './progress';
import { submit } from './submit';
import { worker } from './worker';

export const BATCH_USAGE = [
  "usage: lucid batch submit --from dicomweb+http(s)://host[:port]/<root> [--query 'ModalitiesInStudy=CT&StudyDate=2024-'] --task screen|sr-x2|denoise [--push] --redis redis://host:port",
  '       lucid batch worker --redis redis://host:port [--concurrency N] [--out DIR] [--lock-seconds S] [--secret FILE | --keep-identity]   (--out: where results go for a batch without --push; the jobs of a dead worker are taken over after S seconds, default 30)',
  '       lucid batch status <batch id> --redis redis://host:port',
  '       lucid batch report <batch id> --redis redis://host:port --out report.json|report.csv',
].join('\n');

export function batch(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'submit') return submit(rest);
  if (sub === 'worker') return worker(rest);
  if (sub === 'status') return status(rest);
  if (sub === 'report') return report(rest);
  throw usageError();
}
