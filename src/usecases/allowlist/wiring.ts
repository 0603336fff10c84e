/** Builds the allowlist functions' dependencies from their configuration (clients injected). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognitoClient, ec2Client } from '../../adapters/allowlist/clients';
import { DynamoAllowlistStore, DynamoAuditLog } from '../../adapters/allowlist/dynamo-allowlist-store';
import { Ec2SecurityGroupGateway } from '../../adapters/allowlist/ec2-security-group-gateway';
import { LoggingAdminNotifier, TableSecurityGroupGateway } from '../../adapters/allowlist/local-stand-ins';
import { CognitoPhoneDirectory, SnsAdminNotifier } from '../../adapters/allowlist/sns-admin-notifier';
import { snsClient } from '../../adapters/aws-clients';
import type { AllowlistDeps } from './add';
import { gatewayBackend, notifierBackend, type AllowlistConfig } from './config';

export function allowlistDeps(c: AllowlistConfig, doc: DynamoDBDocumentClient, now: () => Date = () => new Date()): AllowlistDeps {
  return {
    store: new DynamoAllowlistStore(doc, c.ALLOWLIST_TABLE),
    audit: new DynamoAuditLog(doc, c.ALLOWLIST_TABLE, c.AUDIT_RETENTION_DAYS),
    gateway:
      gatewayBackend(c) === 'ec2'
        ? new Ec2SecurityGroupGateway(ec2Client(), {
            dynamicGroupId: c.DYNAMIC_SECURITY_GROUP_ID,
            ...(c.OFFICE_SECURITY_GROUP_ID ? { officeGroupId: c.OFFICE_SECURITY_GROUP_ID } : {}),
          })
        : new TableSecurityGroupGateway(doc, c.ALLOWLIST_TABLE, { officeCidrs: c.OFFICE_CIDRS }),
    notifier:
      notifierBackend(c) === 'sns' ? new SnsAdminNotifier(snsClient(), new CognitoPhoneDirectory(cognitoClient(), c.USER_POOL_ID)) : new LoggingAdminNotifier(),
    now,
  };
}
