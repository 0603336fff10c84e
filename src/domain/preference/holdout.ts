/**
 * Champion/challenger split. An account's arm depends only on (experiment id, accountId) — never
 * on the run date — so an account stays in its arm for the whole experiment and the holdout is a
 * clean baseline. The hash is independent of the Thompson draws (different salt and key).
 */
import { hashUnit } from './random';

export type Arm = 'learned' | 'holdout';

export interface HoldoutConfig {
  /** Experiment id = hashing salt: changing it reshuffles the arms. */
  id: string;
  holdoutFraction: number;
}

export function assignArm(accountId: string, config: HoldoutConfig): Arm {
  if (config.holdoutFraction <= 0) return 'learned';
  if (config.holdoutFraction >= 1) return 'holdout';
  return hashUnit(`holdout|${config.id}|${accountId}`) < config.holdoutFraction ? 'holdout' : 'learned';
}
