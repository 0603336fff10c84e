import { DEFAULT_PREFERENCE_POLICY, loadPreferencePolicy, type PreferencePolicy } from '../../../src/domain/preference';

/** The default policy with top-level keys replaced (validated like the real file). */
export function policyWith(over: Record<string, unknown> = {}): PreferencePolicy {
  const base = JSON.parse(JSON.stringify(DEFAULT_PREFERENCE_POLICY)) as Record<string, unknown>;
  return loadPreferencePolicy({ ...base, ...over });
}

export { addDays } from '../../../src/domain/dates';
