/** Time comes from a clock passed in, so tests can fix or move it. */

export interface Clock {
  now(): Date;
}

/** A clock that can be moved: the tests' manual clock, and the terminal chat's `/clock`. */
export interface SettableClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function createManualClock(start: Date | string): SettableClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** A clock that runs with `base` (real time by default), shifted by however far it has been set or advanced. */
export function createShiftedClock(base: Clock = systemClock): SettableClock {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    set: (at) => {
      offset = new Date(at).getTime() - base.now().getTime();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}
