/**
 * Small, fast, seedable PRNG (mulberry32) plus stream derivation. Every account draws from its own
 * stream derived from (seed, account index, purpose), so any account of any day can be produced
 * without generating the ones before it — that is what makes the generator streamable and the
 * multi-day portfolio consistent.
 */

/** murmur3 finaliser: spreads a 32-bit value over all bits. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seed for stream `purpose` of item `index` under `seed`. */
export function streamSeed(seed: number, index: number, purpose: number): number {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(index >>> 0, 0x27d4eb2f) ^ ((index / 4294967296) >>> 0));
  return fmix32(h ^ Math.imul(purpose + 1, 0x165667b1));
}

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  reseed(seed: number): this {
    this.s = seed >>> 0;
    return this;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Approximately standard normal (Irwin–Hall with 4 terms: cheap and bounded at ±3.46). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772;
  }
}
