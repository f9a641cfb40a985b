/** Time comes from here so that timers, escalations and recurrence can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC, fixed width (24 characters): sorts as text in every engine. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

/** A clock for tests: starts at `start` and moves only when told. */
export function fixedClock(start: string | Date): Clock & { advance(ms: number): void; set(d: string | Date): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(d: string | Date) {
      t = new Date(d).getTime();
    },
  };
}
