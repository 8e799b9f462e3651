export class BudgetTimeoutError extends Error {
  override name = 'BudgetTimeoutError';
}

/** Settles with `work`, or rejects after `ms` (the work itself goes on; its late answer is the caller's to handle). */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // A busy event loop runs late timers before reading the socket: the answer may already be
    // waiting. setImmediate runs after the poll phase, so a reply that arrived in time wins.
    const timer = setTimeout(() => setImmediate(() => reject(new BudgetTimeoutError(`no answer within ${ms} ms`))), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
