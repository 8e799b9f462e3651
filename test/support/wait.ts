const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds, failing with `what` after the deadline: tests wait for conditions, never for fixed times. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await pause(20);
  }
}

/** Polls until `condition` holds, and returns how long that took in ms (for tests that bound or report it). */
export async function timeUntil(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = 10_000): Promise<number> {
  const started = performance.now();
  await until(what, condition, deadlineMs);
  return performance.now() - started;
}

/** Polls until `find` gives a value, and returns it. */
export async function found<T>(what: string, find: () => T | undefined | Promise<T | undefined>, deadlineMs = 10_000): Promise<T> {
  let value: T | undefined;
  await until(what, async () => (value = await find()) !== undefined, deadlineMs);
  return value as T;
}
