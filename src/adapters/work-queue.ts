/**
 * Bounds the work an adapter does after acknowledging: at most `limit` handlers run at once and the rest
 * wait their turn, so a burst of commands cannot flood the database pool or starve the acks of CPU.
 */

/** `limit` slots: a slot is taken at once while one is free, else in arrival order as slots are given back. */
function createSlots(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    /** Undefined when a slot was free and is now held; else the wait for one to be handed over. */
    take(): Promise<void> | undefined {
      if (running < limit) {
        running++;
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    // A finishing task hands its slot straight to the next waiter, so `running` never exceeds `limit`.
    release() {
      const next = waiting.shift();
      if (next) next();
      else running--;
    },
  };
}

/** A work queue per key (a workspace), each bounded, all sharing one overall bound. */
export type KeyedWorkQueue = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * One workspace's slow work (a hung platform call, a burst of clicks) holds at most `perKey` of the `total`
 * slots, so every other workspace keeps its own. A task takes its workspace's slot, then one of the overall
 * slots; a key's slots are dropped once nothing holds or waits for them.
 */
export function createKeyedWorkQueue(perKey: number, total: number): KeyedWorkQueue {
  const overall = createSlots(total);
  const queues = new Map<string, { slots: ReturnType<typeof createSlots>; users: number }>();
  return async (key, work) => {
    let entry = queues.get(key);
    if (!entry) {
      entry = { slots: createSlots(perKey), users: 0 };
      queues.set(key, entry);
    }
    entry.users++;
    try {
      const forKey = entry.slots.take();
      if (forKey) await forKey;
      try {
        const forAll = overall.take();
        if (forAll) await forAll;
        try {
          return await work();
        } finally {
          overall.release();
        }
      } finally {
        entry.slots.release();
      }
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
