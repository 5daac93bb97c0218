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

/** A work queue per key (a workspace), each bounded, all sharing one overall bound. */
export type KeyedWorkQueue = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * One workspace's slow work (a hung platform call, a burst of clicks) holds at most `perKey` of the `total`
 * slots, so every other workspace keeps its own. A key's queue is dropped once it has nothing waiting.
 */
export function createKeyedWorkQueue(perKey: number, total: number): KeyedWorkQueue {
  const overall = createWorkQueue(total);
  const queues = new Map<string, { queue: WorkQueue; users: number }>();
  return async (key, work) => {
    let entry = queues.get(key);
    if (!entry) {
      entry = { queue: createWorkQueue(perKey), users: 0 };
      queues.set(key, entry);
    }
    entry.users++;
    try {
      return await entry.queue(() => overall(work));
    } finally {
      if (--entry.users === 0) queues.delete(key);
    }
  };
}

/**
 * `work`'s result if it settles within `ms`, or `late` once `ms` have passed (the work goes on either way).
 * A budget of 0 or less is always late: the caller's slow path, at once.
 */
export async function withinBudget<T>(
  work: Promise<T>,
  ms: number,
): Promise<{ late: false; value: T } | { late: true }> {
  if (ms <= 0) return { late: true };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ late: true }>((resolve) => {
    timer = setTimeout(() => resolve({ late: true }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ late: false as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
