export { loadPreferencePolicy, DEFAULT_PREFERENCE_POLICY, preferencePolicySchema, priorFor, type PreferencePolicy, type BetaPrior } from './policy';
export {
  countersFromItem,
  counterKeys,
  countedKinds,
  statsFromMonthlyCounters,
  statsFromSummedCounters,
  voiceStatsFromHistory,
  attributePayment,
  creditResponse,
  addStats,
  monthsBefore,
  monthWeight,
  type ChannelStat,
  type ChannelStats,
  type MonthlyCounters,
  type SummedCounters,
} from './stats';
export { posterior, betaMean, betaVariance, samplePosterior, empiricalBayesPrior, type BetaPosterior, type EmpiricalBayesOptions, type EmpiricalBayesResult } from './beta';
export { assignArm, type Arm, type HoldoutConfig } from './holdout';
export {
  createThompsonRanker,
  LEARNED_RANKER_NAME,
  HOLDOUT_RANKER_NAME,
  DISABLED_RANKER_NAME,
  type ThompsonRankerOptions,
  type PreferenceRanker,
  type ChannelScore,
} from './ranker';
export { liftInterval, liftPosterior, tallyByArm, wilson, normalQuantile, type ArmOutcome, type LiftEstimate } from './lift';
export { SeededRng, hash53, hashUnit, sampleBeta, gamma, normal, type RandomSource } from './random';
