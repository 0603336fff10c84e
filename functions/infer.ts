import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import modelJson from '../model/propensity-xgb.json';
import { s3Client, sageMakerRuntimeClient } from '../src/adapters/aws-clients';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { EmbeddedScorer, SageMakerEndpointScorer } from '../src/adapters/scorers';
import { configShapes, loadConfig } from '../src/config';
import { ConfigurationError } from '../src/domain/errors';
import { MODEL_VERSION } from '../src/domain/model/version';
import { XgbModel } from '../src/domain/model/xgboost';
import { chunkEventSchema } from '../src/events';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { inferChunk, type InferResult } from '../src/usecases/infer-chunk';
import type { Scorer } from '../src/ports';

const config = loadConfig(configShapes.infer);
const store = new S3ObjectStore(s3Client(), config.DATA_BUCKET);

function makeScorer(): Scorer {
  if (config.MODEL_BACKEND === 'embedded') return new EmbeddedScorer(XgbModel.fromJSON(modelJson), MODEL_VERSION);
  if (!config.MODEL_ENDPOINT_NAME) throw new ConfigurationError('MODEL_ENDPOINT_NAME is required when MODEL_BACKEND=endpoint');
  return new SageMakerEndpointScorer(sageMakerRuntimeClient(), config.MODEL_ENDPOINT_NAME, config.MODEL_MAX_PAYLOAD_BYTES);
}
const scorer = makeScorer();

/** Infer: one chunk → probability of payment per account (SageMaker endpoint or the embedded evaluator). */
export const lambdaHandler = async (event: z.infer<typeof chunkEventSchema>): Promise<InferResult> => {
  const result = await inferChunk({ store, scorer }, event);
  logger.info('chunk scored', { runDate: event.runDate, chunk: event.chunk.index, scored: result.scored });
  return result;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(chunkEventSchema));
