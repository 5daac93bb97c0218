/**
 * Bounds the work an adapter does after acknowledging: at most `limit` handlers run at once and the rest
 * wait their turn, so a burst of commands cannot flood the database pool or starve the acks of CPU.
 */
export type WorkQueue = <T>(work: () => Promise<T>) => Promise<T>;

export function createWorkQueue(limit: number): WorkQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finishing task hands its slot straight to the next waiter, so `running` never exceeds `limit`.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (work) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}
