/**
 * Identifies the committed model (model/propensity-xgb.json) in rankings and audit records.
 * Bump it whenever `npm run train` replaces the model file.
 */
export const MODEL_VERSION = 'propensity-xgb-2026-11-23';
