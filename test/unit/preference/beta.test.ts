import { betaMean, betaVariance, empiricalBayesPrior, gamma, posterior, samplePosterior, SeededRng, type ChannelStat } from '../../../src/domain/preference';

describe('Beta-Binomial posterior', () => {
  it('adds responses to alpha and non-responses to beta (hand-computed)', () => {
    const p = posterior({ alpha: 1, beta: 9 }, { attempts: 20, responses: 3 });
    expect(p).toEqual({ alpha: 4, beta: 26 });
    expect(betaMean(p)).toBeCloseTo(4 / 30, 12); // 0.13333
    expect(betaVariance(p)).toBeCloseTo((4 * 26) / (30 * 30 * 31), 12); // 0.0037276
  });

  it('no stats = the prior; responses are clamped to [0, attempts]', () => {
    expect(posterior({ alpha: 0.3, beta: 9.7 }, undefined)).toEqual({ alpha: 0.3, beta: 9.7 });
    expect(posterior({ alpha: 1, beta: 1 }, { attempts: 2, responses: 5 })).toEqual({ alpha: 3, beta: 1 });
    expect(posterior({ alpha: 1, beta: 1 }, { attempts: 2, responses: -1 })).toEqual({ alpha: 1, beta: 3 });
  });

  it('fractional pseudo-counts (decayed months) are fine', () => {
    const p = posterior({ alpha: 0.5, beta: 4.5 }, { attempts: 2.5, responses: 1.25 });
    expect(p.alpha).toBeCloseTo(1.75, 12);
    expect(p.beta).toBeCloseTo(5.75, 12);
  });

  it.each([
    [4, 26],
    [0.3, 9.7],
    [0.6, 0.6],
    [50, 5],
  ])('samples of Beta(%p, %p) have the right mean and variance (seeded)', (alpha, beta) => {
    const rng = new SeededRng(7);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = samplePosterior({ alpha, beta }, rng);
      if (!(x >= 0 && x <= 1)) outside++;
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const v = s2 / n - mean * mean;
    expect(outside).toBe(0);
    const sd = Math.sqrt(betaVariance({ alpha, beta }));
    // Standard error of the mean is sd/sqrt(n) ≈ sd·0.003: 5 SE.
    expect(Math.abs(mean - betaMean({ alpha, beta }))).toBeLessThan(5 * sd / Math.sqrt(n));
    expect(v / betaVariance({ alpha, beta })).toBeGreaterThan(0.97);
    expect(v / betaVariance({ alpha, beta })).toBeLessThan(1.03);
  });

  it('gamma sampler: mean = shape (small and large shapes)', () => {
    for (const shape of [0.2, 1, 7.5]) {
      const rng = new SeededRng(3);
      let s = 0;
      for (let i = 0; i < 50_000; i++) s += gamma(rng, shape);
      expect(s / 50_000).toBeCloseTo(shape, 1);
    }
    expect(() => gamma(new SeededRng(1), 0)).toThrow(RangeError);
  });
});

describe('empiricalBayesPrior', () => {
  const opts = { minStrength: 2, maxStrength: 200, minAccounts: 50, fallback: { alpha: 1, beta: 9 } };

  it('recovers the mean and strength of the population it was drawn from', () => {
    // 5000 accounts, θᵢ ~ Beta(2, 18) (mean 0.1, strength 20), 30 attempts each.
    const rng = new SeededRng(42);
    const stats: ChannelStat[] = [];
    for (let i = 0; i < 5000; i++) {
      const theta = samplePosterior({ alpha: 2, beta: 18 }, rng);
      const n = 30;
      let r = 0;
      for (let j = 0; j < n; j++) if (rng.next() < theta) r++;
      stats.push({ attempts: n, responses: r });
    }
    const eb = empiricalBayesPrior(stats, opts);
    expect(eb.source).toBe('empirical');
    expect(eb.accounts).toBe(5000);
    expect(eb.alpha / (eb.alpha + eb.beta)).toBeGreaterThan(0.095);
    expect(eb.alpha / (eb.alpha + eb.beta)).toBeLessThan(0.105);
    expect(eb.strength).toBeGreaterThan(14);
    expect(eb.strength).toBeLessThan(28);
  });

  it('no spread beyond binomial noise -> capped at maxStrength', () => {
    const rng = new SeededRng(5);
    const stats: ChannelStat[] = [];
    for (let i = 0; i < 2000; i++) {
      let r = 0;
      for (let j = 0; j < 20; j++) if (rng.next() < 0.2) r++;
      stats.push({ attempts: 20, responses: r });
    }
    const eb = empiricalBayesPrior(stats, { ...opts, maxStrength: 50 });
    expect(eb.strength).toBe(50);
    expect(eb.alpha).toBeCloseTo(50 * 0.2, 0);
  });

  it('too few accounts (or none with attempts) -> fallback', () => {
    const eb = empiricalBayesPrior([{ attempts: 10, responses: 1 }, { attempts: 0, responses: 0 }], opts);
    expect(eb).toMatchObject({ alpha: 1, beta: 9, strength: 10, source: 'fallback', accounts: 1 });
  });

  it('a huge spread is floored at minStrength', () => {
    const stats = Array.from({ length: 100 }, (_, i) => ({ attempts: 50, responses: i % 2 === 0 ? 0 : 50 }));
    const eb = empiricalBayesPrior(stats, opts);
    expect(eb.strength).toBe(2);
    expect(eb.alpha).toBeCloseTo(1, 6);
  });
});
