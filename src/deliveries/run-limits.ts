/** How the dispatcher bounds its work: lanes of concurrent calls per run and per workspace, and a deadline per call. */
import { PublishError } from '../core/outbound.ts';

/** How `eachLimited` bounds a group's items, and hears of an item that failed. */
export interface LimitOptions<T> {
  perGroup?: { key: (item: T) => string; limit: number };
  failed?: (item: T, err: unknown) => void;
}

/**
 * Runs `work` over `items` with at most `limit` at once, and at most `perGroup.limit` of one group (a
 * workspace) at once, so one workspace's slow or hung calls never hold every lane; a rejection is the item's
 * own problem (told to `failed`). Items start in order, skipping those whose group is full. Settles with what
 * the items that succeeded gave, per lane in the order they finished. Not itself async: the caller awaits the
 * lanes directly.
 */
export function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  { perGroup, failed }: LimitOptions<T> = {},
): Promise<R[][]> {
  const pending = [...items];
  const active = new Map<string, number>();
  /** The first pending item whose group has room, taken off the list with its group; none when all are full. */
  const next = () => {
    for (let i = 0; i < pending.length; i++) {
      const key = perGroup?.key(pending[i]!);
      if (key !== undefined && (active.get(key) ?? 0) >= perGroup!.limit) continue;
      if (key !== undefined) active.set(key, (active.get(key) ?? 0) + 1);
      return { item: pending.splice(i, 1)[0]!, key };
    }
    return undefined;
  };
  // A lane runs items one after another. An item ending frees room for at most one more (one of its own
  // group's, or any when every lane was busy), which its lane takes at once: a lane that finds nothing to
  // start is never needed again, so it ends.
  const lane = async () => {
    const results: R[] = [];
    for (let taken = next(); taken; taken = next()) {
      try {
        results.push(await work(taken.item));
      } catch (err) {
        try {
          failed?.(taken.item, err);
        } catch {
          // Telling of a failure must not end the lane: the other items still run, and the run waits for them.
        }
      } finally {
        if (taken.key !== undefined) active.set(taken.key, active.get(taken.key)! - 1);
      }
    }
    return results;
  };
  return Promise.all(Array.from({ length: Math.min(limit, pending.length) }, lane));
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
