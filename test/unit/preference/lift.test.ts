import { liftInterval, liftPosterior, normalQuantile, SeededRng, tallyByArm, wilson } from '../../../src/domain/preference';

describe('lift intervals', () => {
  it('normal quantile', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });

  it('Wilson interval of 10/100 (textbook: 0.0552 – 0.1744)', () => {
    const [l, u] = wilson(10, 100, normalQuantile(0.975));
    expect(l).toBeCloseTo(0.0552, 4);
    expect(u).toBeCloseTo(0.1744, 4);
  });

  it("Newcombe (1998) example: 56/70 vs 48/80 -> 0.2000 (0.0524, 0.3339)", () => {
    const e = liftInterval({ successes: 56, trials: 70 }, { successes: 48, trials: 80 });
    expect(e.lift).toBeCloseTo(0.2, 12);
    expect(e.lower).toBeCloseTo(0.0524, 4);
    expect(e.upper).toBeCloseTo(0.3339, 4);
    expect(e.relativeLift).toBeCloseTo(0.2 / 0.6, 12);
    expect(e).toMatchObject({ confidence: 0.95, method: 'newcombe-wilson', learned: { trials: 70, rate: 0.8 }, holdout: { trials: 80, rate: 0.6 } });
  });

  it('zero successes in the holdout: finite interval, no relative lift', () => {
    const e = liftInterval({ successes: 3, trials: 50 }, { successes: 0, trials: 20 });
    expect(e.relativeLift).toBeNull();
    expect(e.lower).toBeLessThan(0);
    expect(e.upper).toBeLessThan(0.25);
  });

  it('rejects impossible outcomes', () => {
    expect(() => liftInterval({ successes: 5, trials: 0 }, { successes: 0, trials: 10 })).toThrow(RangeError);
    expect(() => liftInterval({ successes: 11, trials: 10 }, { successes: 0, trials: 10 })).toThrow(RangeError);
  });

  it('posterior-sampling interval is reproducible and close to Newcombe for moderate n', () => {
    const a = { successes: 240, trials: 2000 };
    const b = { successes: 40, trials: 500 };
    const p1 = liftPosterior(a, b, { seed: 9 });
    expect(liftPosterior(a, b, { seed: 9 })).toEqual(p1);
    const n = liftInterval(a, b);
    expect(Math.abs(p1.lower - n.lower)).toBeLessThan(0.006);
    expect(Math.abs(p1.upper - n.upper)).toBeLessThan(0.006);
  });

  it('tallyByArm sums per arm', () => {
    expect(
      tallyByArm([
        { arm: 'learned', successes: 1, trials: 1 },
        { arm: 'holdout', successes: 0, trials: 1 },
        { arm: 'learned', successes: 0, trials: 1 },
      ]),
    ).toEqual({ learned: { successes: 1, trials: 2 }, holdout: { successes: 0, trials: 1 } });
  });

  it('covers the true difference ~95 % of the time (seeded simulation)', () => {
    // True rates 12 % (learned, 2000 accounts) vs 10 % (holdout, 500 accounts) — a 10 % holdout
    // of a small portfolio slice; 600 replications.
    const rng = new SeededRng(77);
    const draw = (p: number, n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (rng.next() < p) s++;
      return s;
    };
    let coveredN = 0;
    let coveredB = 0;
    const reps = 600;
    for (let r = 0; r < reps; r++) {
      const a = { successes: draw(0.12, 2000), trials: 2000 };
      const b = { successes: draw(0.1, 500), trials: 500 };
      const n = liftInterval(a, b);
      if (n.lower <= 0.02 && 0.02 <= n.upper) coveredN++;
      if (r < 100) {
        const p = liftPosterior(a, b, { seed: r, draws: 2000 });
        if (p.lower <= 0.02 && 0.02 <= p.upper) coveredB++;
      }
    }
    // Binomial SE of a 95 % coverage estimate over 600 reps is ~0.9 points: ±3 points is > 3 SE.
    expect(coveredN / reps).toBeGreaterThan(0.92);
    expect(coveredN / reps).toBeLessThan(0.98);
    expect(coveredB / 100).toBeGreaterThanOrEqual(0.89);
    expect(coveredB / 100).toBeLessThanOrEqual(0.99);
  });
});
