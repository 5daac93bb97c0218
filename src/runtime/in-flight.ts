/** Counts work that must finish before the process exits (a click being recorded, a post being sent). */

export interface InFlight {
  /** Counts `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Work running now. */
  count(): number;
  /** Resolves true once nothing is running, or false when `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  let running = 0;
  const waiters = new Set<() => void>();
  const settle = () => {
    running -= 1;
    if (running === 0) for (const wake of [...waiters]) wake();
  };
  return {
    track(work) {
      running += 1;
      work.then(settle, settle);
      return work;
    },
    count: () => running,
    idle(timeoutMs) {
      if (running === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(value);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(wake);
      });
    },
  };
}
