// Retry with exponential backoff for the failures worth trying again: the server's 5xx and lost connections, never a
// 4xx (a wrong password or a missing study does not get better). Thread-neutral; the sleep is injectable for tests.
import { isRetryable } from './errors';

export interface RetryOptions {
  /** Tries in all, the first included (1 = no retry). Default 3. */
  attempts?: number;
  /** Wait before the first retry (ms); doubles each time. Default 500. */
  baseDelayMs?: number;
  /** Longest wait (ms). Default 8000. */
  maxDelayMs?: number;
  /** Wait a random 50–100 % of each delay so many clients do not retry in step. Default true. */
  jitter?: boolean;
  /** How to wait (tests pass a fake that records the delays). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const onAbort = () => { clearTimeout(timer); reject(signal?.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wait before retry number `retry` (1-based), in ms. */
export function backoffDelay(retry: number, o: RetryOptions = {}, random = Math.random): number {
  const full = Math.min(o.maxDelayMs ?? 8000, (o.baseDelayMs ?? 500) * 2 ** (retry - 1));
  return o.jitter === false ? full : full * (0.5 + 0.5 * random());
}

/** Runs `op` until it succeeds, fails with an error that is not retryable, or has had `attempts` tries. */
export async function withRetry<T>(op: () => Promise<T>, o: RetryOptions = {}, signal?: AbortSignal): Promise<T> {
  const attempts = Math.max(1, o.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err) || signal?.aborted) throw err;
      await (o.sleep ?? sleep)(backoffDelay(attempt, o), signal);
    }
  }
}
