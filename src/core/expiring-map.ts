/**
 * A bounded map whose entries go stale a set time after they were stored, by the injected clock; when it is
 * full, the entry stored longest ago goes first. An entry stored after the clock's now (a clock set back) is
 * not fresh either. Kept here, briefly, is what a platform or the database told this process (a member's role,
 * a server's roles, a workspace's installation, a member recorded lately, a channel's name stored), so a busy
 * channel asks rarely and a change still shows within the entry's time.
 */
import type { Clock } from './clock.ts';

export class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; at: number; until: number }>();
  readonly #clock: Clock;
  readonly #maxEntries: number;

  constructor(clock: Clock, maxEntries: number) {
    this.#clock = clock;
    this.#maxEntries = maxEntries;
  }

  /** The value stored for `key` while it is fresh, else undefined (a stale entry is dropped when met). */
  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    const now = this.#clock.now().getTime();
    if (hit.at <= now && now < hit.until) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `value` for `ttlMs`; a key stored again counts as stored now, for its age and its place in line. */
  set(key: string, value: V, ttlMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    const at = this.#clock.now().getTime();
    this.#entries.set(key, { value, at, until: at + ttlMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
