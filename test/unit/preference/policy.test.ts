import { DEFAULT_PREFERENCE_POLICY, loadPreferencePolicy, priorFor } from '../../../src/domain/preference';
import { ConfigurationError } from '../../../src/domain/errors';

const base = () => JSON.parse(JSON.stringify(DEFAULT_PREFERENCE_POLICY)) as Record<string, any>;

describe('preference policy', () => {
  it('the committed file is valid and frozen', () => {
    expect(DEFAULT_PREFERENCE_POLICY.version).toBe(1);
    expect(Object.isFrozen(DEFAULT_PREFERENCE_POLICY.priors.default.email)).toBe(true);
  });

  it('segment prior, else default', () => {
    expect(priorFor(DEFAULT_PREFERENCE_POLICY, 'early_self_cure', 'email')).toEqual({ alpha: 0.6, beta: 9.4 });
    expect(priorFor(DEFAULT_PREFERENCE_POLICY, 'early_self_cure', 'sms')).toEqual(DEFAULT_PREFERENCE_POLICY.priors.default.sms);
    expect(priorFor(DEFAULT_PREFERENCE_POLICY, 'unknown_segment', 'voice')).toEqual(DEFAULT_PREFERENCE_POLICY.priors.default.voice);
  });

  it.each<[string, (p: Record<string, any>) => void, RegExp]>([
    ['holdout fraction > 1', (p) => (p.experiment.holdoutFraction = 1.5), /experiment\.holdoutFraction/],
    ['non-positive prior', (p) => (p.priors.default.sms.alpha = 0), /priors\.default\.sms\.alpha/],
    ['unknown key', (p) => (p.extra = true), /extra|Unrecognized/],
    ['no positive response weight', (p) => (p.responses.email.responses = { open: 0 }), /responses\.email\.responses/],
    ['strength bounds inverted', (p) => (p.empiricalBayes.minStrength = 100), /empiricalBayes/],
    ['unknown channel in segment priors', (p) => (p.priors.segments.late_stage.push = { alpha: 1, beta: 1 }), /priors\.segments\.late_stage/],
  ])('rejects %s', (_, mutate, message) => {
    const p = base();
    mutate(p);
    expect(() => loadPreferencePolicy(p)).toThrow(ConfigurationError);
    expect(() => loadPreferencePolicy(p)).toThrow(message);
  });
});
