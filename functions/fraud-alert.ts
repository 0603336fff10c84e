import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { dynamoClient } from '../src/adapters/aws-clients';
import { BedrockAlertWriter } from '../src/adapters/cdp/bedrock-alert-writer';
import { bedrockClient, fieldCipher, sesClient } from '../src/adapters/cdp/clients';
import { DynamoAlertClaims } from '../src/adapters/cdp/dynamo-alert-claims';
import { SesAlertSender } from '../src/adapters/cdp/ses-alert-sender';
import { loadConfig } from '../src/config';
import { fraudAlertMessageSchema } from '../src/domain/cdp/records';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { cdpShapes } from '../src/usecases/cdp/config';
import { sendFraudAlert, type FraudAlertDeps } from '../src/usecases/cdp/fraud-alert';

const config = loadConfig(cdpShapes.alert);
const deps: FraudAlertDeps = {
  cipher: fieldCipher(config),
  claims: new DynamoAlertClaims(dynamoClient(), config.STATE_TABLE),
  writer: new BedrockAlertWriter(bedrockClient(), { enabled: config.BEDROCK_ENABLED, modelId: config.BEDROCK_MODEL_ID, timeoutMs: config.BEDROCK_TIMEOUT_MS }),
  sender: new SesAlertSender(sesClient(), { from: config.ALERT_EMAIL_FROM, configurationSet: config.SES_CONFIGURATION_SET }),
  windowMinutes: config.ALERT_WINDOW_MINUTES,
  now: () => new Date(),
  log: (message, fields) => logger.warn(message, fields),
};

export const sqsEventSchema = z.object({
  Records: z.array(z.looseObject({ messageId: z.string().min(1), body: z.string() })),
});

/**
 * Alerts queue → one email per card and window. The only function that can decrypt (and only the
 * holder's name and email: its KMS grant is conditioned on the encryption context's field). One
 * message at a time; failures are reported per message (ReportBatchItemFailures) and retried, then
 * dead-lettered. Logs hold the card token and the outcome, never the name or the address.
 */
export const lambdaHandler = async (event: z.infer<typeof sqsEventSchema>): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  for (const r of event.Records) {
    try {
      const message = fraudAlertMessageSchema.parse(JSON.parse(r.body));
      const outcome = await sendFraudAlert(deps, message);
      logger.info('fraud alert', { txnId: message.txnId, cardToken: message.cardToken, ...outcome });
    } catch (e) {
      logger.error('fraud alert failed', { messageId: r.messageId, error: (e as Error).name });
      failures.push({ itemIdentifier: r.messageId });
    }
  }
  return { batchItemFailures: failures };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(sqsEventSchema));
