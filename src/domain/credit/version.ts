/**
 * Identifies the committed credit model (model/credit/credit-xgb.json) in every score response.
 * Bump it whenever `npm run train:credit` replaces the model file.
 */
export const CREDIT_MODEL_VERSION = 'credit-default-xgb-2026-11-23';
