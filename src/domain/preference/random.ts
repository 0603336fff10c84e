/**
 * Seeded randomness for the preference model. Every draw is derived from a string key
 * (salt + accountId + runDate + channel), so the same account on the same day always gets the
 * same sample — the daily run is idempotent — without any shared mutable generator.
 */

/** 53-bit string hash (cyrb53: two murmur-style 32-bit lanes). Stable across runtimes. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A hash as a uniform number in [0, 1) (53 bits of resolution). */
export function hashUnit(text: string): number {
  return hash53(text) / 9007199254740992;
}

/** Uniform [0, 1) source; anything with this shape can be injected (tests, simulations). */
export interface RandomSource {
  next(): number;
}

/** mulberry32: tiny, fast, good enough for sampling (not for secrets). */
export class SeededRng implements RandomSource {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  static fromKey(key: string): SeededRng {
    return new SeededRng(hash53(key) % 4294967296);
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Standard normal (Box–Muller; exact tails, unlike a sum of uniforms). */
export function normal(rng: RandomSource): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 via the Gamma(shape + 1)·U^(1/shape) boost. */
export function gamma(rng: RandomSource, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0 (got ${shape})`);
  if (shape < 1) {
    let u = rng.next();
    while (u <= 0) u = rng.next();
    return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function sampleBeta(rng: RandomSource, alpha: number, beta: number): number {
  const x = gamma(rng, alpha);
  const y = gamma(rng, beta);
  const s = x + y;
  // Both underflow only for tiny shapes; fall back to the mean rather than NaN.
  return s > 0 ? x / s : alpha / (alpha + beta);
}
