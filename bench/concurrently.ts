/** Runs `op(0)` … `op(n - 1)` with at most `inFlight` at once; resolves with the wall time it took, in ms. */
export async function concurrently(n: number, inFlight: number, op: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await op(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - started;
}
