/**
 * The simulation's clock, and the simulated time the handlers see.
 *
 * Why: the senders check the contact window against `new Date()` (they take no clock, as in AWS),
 * and a 7-day simulation runs days that are not today. So handler invocations made by the
 * simulation run inside an AsyncLocalStorage scope where `Date.now()` / `new Date()` read the
 * simulated clock; everything else in the process (event-source pollers, record-age checks, drain
 * timeouts, the emulators in child processes) keeps the wall clock. The simulated clock flows with
 * real time from its last `set` so loops waiting on `Date.now()` still progress.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const RealDate = Date;
const scope = new AsyncLocalStorage<SimClock>();
let installed = false;

export class SimClock {
  private base = RealDate.now();
  private realBase = RealDate.now();
  /** Sets the simulated instant (epoch ms); it then advances with real time. */
  set(ms: number): void {
    this.base = ms;
    this.realBase = RealDate.now();
  }
  now(): number {
    return this.base + (RealDate.now() - this.realBase);
  }
  /** Runs fn (and everything it awaits) with `Date` reading this clock. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    installSimulatedDate();
    return scope.run(this, fn);
  }
}

/** Replaces the global Date by one that reads the scope's clock when there is one (idempotent). */
export function installSimulatedDate(): void {
  if (installed) return;
  installed = true;
  const nowOf = () => scope.getStore()?.now() ?? RealDate.now();
  class ScopedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowOf());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return nowOf();
    }
    // Dates made before the swap (or by RealDate) are still Dates.
    static override [Symbol.hasInstance](v: unknown): boolean {
      return v instanceof RealDate;
    }
  }
  // Date() called as a function returns a string of "now".
  const DateProxy = new Proxy(ScopedDate, {
    apply: () => new RealDate(nowOf()).toString(),
  });
  (globalThis as { Date: DateConstructor }).Date = DateProxy as unknown as DateConstructor;
}

/** The wall clock, whatever scope we are in. */
export const realNow = (): number => RealDate.now();
