/**
 * Scores one application: probability of default from the committed XGBoost model (the shared
 * TypeScript evaluator), decision band, and TreeSHAP reason codes. Built once per cold start.
 */
import { XgbModel } from '../model/xgboost';
import { ConfigurationError } from '../errors';
import { creditFeatureVector, CREDIT_FEATURE_NAMES, NUM_CREDIT_FEATURES, type CreditApplication } from './application';
import { checkBands, decide, principalReasons, type Decision, type DecisionBands, type Reason } from './reasons';
import { TreeShapExplainer } from './treeshap';

export interface CreditScore {
  modelVersion: string;
  probabilityOfDefault: number;
  decision: Decision;
  /** True for decline and refer: the reasons are the principal reasons for an adverse-action notice. */
  adverseAction: boolean;
  reasons: Reason[];
}

export class CreditScorer {
  private readonly row = new Float64Array(NUM_CREDIT_FEATURES);
  private readonly phi = new Float64Array(NUM_CREDIT_FEATURES + 1);

  constructor(
    private readonly model: XgbModel,
    private readonly explainer: TreeShapExplainer,
    readonly modelVersion: string,
    readonly bands: DecisionBands,
  ) {
    checkBands(bands);
    // The model must have been trained on exactly these columns, in this order.
    const names = model.featureNames;
    if (model.numFeatures !== NUM_CREDIT_FEATURES || (names !== null && names.join() !== CREDIT_FEATURE_NAMES.join())) {
      throw new ConfigurationError(`credit model features do not match CREDIT_FEATURE_NAMES (${modelVersion})`);
    }
  }

  static fromJSON(modelJson: unknown, modelVersion: string, bands: DecisionBands): CreditScorer {
    return new CreditScorer(XgbModel.fromJSON(modelJson), TreeShapExplainer.fromJSON(modelJson), modelVersion, bands);
  }

  score(application: CreditApplication): CreditScore {
    const row = creditFeatureVector(application, this.row);
    const probabilityOfDefault = this.model.predict(row);
    const decision = decide(probabilityOfDefault, this.bands);
    const phi = this.explainer.contributions(row, this.phi);
    return {
      modelVersion: this.modelVersion,
      probabilityOfDefault,
      decision,
      adverseAction: decision !== 'approve',
      reasons: principalReasons(phi, row),
    };
  }
}
