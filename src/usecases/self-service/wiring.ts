import { dynamoDocClient } from '../../adapters/aws-clients';
import { DynamoAccountStore } from '../../adapters/dynamo-accounts';
import { DynamoSelfServiceContacts } from '../../adapters/dynamo-self-service-contacts';
import { engagementLakeEmitter } from '../../adapters/lake-emitters';
import { configShapes, loadConfig } from '../../config';
import { ForbiddenError } from '../../domain/errors';
import type { Principal } from '../../http/auth';
import type { Caller, SelfServiceDeps } from './self-service';

/** The self-service functions' dependencies, built once per cold start. */
export function selfServiceDeps(): SelfServiceDeps {
  const config = loadConfig(configShapes.selfService);
  const doc = dynamoDocClient();
  return {
    store: new DynamoAccountStore(doc, config.ACCOUNTS_TABLE),
    contacts: new DynamoSelfServiceContacts(doc, config.CONTACTS_TABLE),
    now: () => new Date(),
    // Only createPromise has the stream in its environment (and the IAM to put to it).
    lake: engagementLakeEmitter(config.LAKE_ENGAGEMENT_STREAM_NAME),
  };
}

/** The customer behind a token; a customer token always names one (its username is the customer_id). */
export function callerOf(principal: Principal): Caller {
  if (!principal.customerId) throw new ForbiddenError('not a customer');
  return { sub: principal.sub, customerId: principal.customerId };
}
