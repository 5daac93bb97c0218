/** How the dispatcher bounds its work: lanes of concurrent calls per run and per workspace, and a deadline per call. */
import { PublishError } from '../core/outbound.ts';

/**
 * Runs `work` over `items` with at most `limit` at once, and at most `perGroup.limit` of one group (a
 * workspace) at once, so one workspace's slow or hung calls never hold every lane; a rejection is the item's
 * own problem. Items start in order, skipping those whose group is full.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  perGroup?: { key: (item: T) => string; limit: number },
): Promise<void> {
  const pending = [...items];
  const active = new Map<string, number>();
  let running = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (pending.length === 0 && running === 0) return resolve();
      for (let i = 0; i < pending.length && running < limit; ) {
        const item = pending[i]!;
        const key = perGroup?.key(item);
        if (key !== undefined && (active.get(key) ?? 0) >= perGroup!.limit) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        running++;
        if (key !== undefined) active.set(key, (active.get(key) ?? 0) + 1);
        void work(item)
          .catch(() => {})
          .finally(() => {
            running--;
            if (key !== undefined) active.set(key, active.get(key)! - 1);
            pump();
          });
      }
    };
    pump();
  });
}

/**
 * Runs a platform call that gets `signal`, aborted when it takes longer than `ms`: the call stops (the SDK
 * makes no retry of it after we gave up) and this rejects with a transient PublishError.
 */
export async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new PublishError('timeout', `${what} took longer than ${ms} ms`, { permanent: false });
      controller.abort(err);
      reject(err);
    }, ms);
    // A hung platform call must not keep a stopping process alive.
    timer.unref();
  });
  return Promise.race([call(controller.signal), timeout]).finally(() => clearTimeout(timer));
}
