/**
 * Local stand-ins for EC2 and SNS (no emulator exists): the dynamic group's rules live in the
 * allowlist table under RULE#dynamic, the office group's come from OFFICE_CIDRS, and every call
 * that would go to AWS is logged as a structured line — without the address or the user
 * (a short fingerprint stands in for them).
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ALLOWLIST_PORT } from '../../domain/allowlist/entry';
import { SecurityGroupFullError } from '../../domain/allowlist/errors';
import { logger } from '../../logger';
import type { AdminNotifier, GroupRule, HostRule, NotifyOutcome, SecurityGroupGateway } from '../../usecases/allowlist/ports';
import { isConditionFailed } from '../dynamo-batch';

export const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

/** EC2's default quota: 60 inbound rules per group for IPv4, and 60 for IPv6. */
export const DEFAULT_RULES_PER_GROUP = 60;

export class TableSecurityGroupGateway implements SecurityGroupGateway {
  private readonly pk = 'RULE#dynamic';

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { officeCidrs: string[]; rulesPerGroup?: number },
  ) {}

  private logCall(call: string, rule: HostRule) {
    logger.info('security group call (local stand-in, not sent to EC2)', {
      call,
      group: 'dynamic',
      protocol: 'tcp',
      port: ALLOWLIST_PORT,
      family: rule.family,
      rule: fingerprint(rule.cidr),
    });
  }

  private async dynamicRules(): Promise<(GroupRule & { family: number })[]> {
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': this.pk }, ConsistentRead: true }),
    );
    return (out.Items ?? []).map((i) => ({ cidr: String(i.sk), family: Number(i.family), protocol: 'tcp', fromPort: ALLOWLIST_PORT, toPort: ALLOWLIST_PORT, description: i.description as string }));
  }

  async authorize(rule: HostRule & { description: string }): Promise<{ created: boolean }> {
    this.logCall('AuthorizeSecurityGroupIngress', rule);
    const sameFamily = (await this.dynamicRules()).filter((r) => r.family === rule.family && r.cidr !== rule.cidr);
    if (sameFamily.length >= (this.options.rulesPerGroup ?? DEFAULT_RULES_PER_GROUP)) throw new SecurityGroupFullError();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.pk, sk: rule.cidr, family: rule.family, description: rule.description },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (e) {
      if (isConditionFailed(e)) return { created: false }; // EC2: InvalidPermission.Duplicate
      throw e;
    }
  }

  async revoke(rule: HostRule): Promise<{ removed: boolean }> {
    this.logCall('RevokeSecurityGroupIngress', rule);
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: this.pk, sk: rule.cidr }, ConditionExpression: 'attribute_exists(pk)' }));
      return { removed: true };
    } catch (e) {
      if (isConditionFailed(e)) return { removed: false }; // EC2: InvalidPermission.NotFound
      throw e;
    }
  }

  async list(): Promise<{ office: GroupRule[]; dynamic: GroupRule[] }> {
    logger.debug('security group call (local stand-in, not sent to EC2)', { call: 'DescribeSecurityGroupRules' });
    const dynamic = (await this.dynamicRules()).map(({ family: _f, ...r }) => r);
    const office = this.options.officeCidrs.map((cidr) => ({ cidr, protocol: 'tcp', fromPort: ALLOWLIST_PORT, toPort: ALLOWLIST_PORT, description: 'office' }));
    return { office, dynamic };
  }
}

export class LoggingAdminNotifier implements AdminNotifier {
  async notify(username: string, message: string): Promise<NotifyOutcome> {
    logger.info('SMS call (local stand-in, not sent to SNS)', { call: 'Publish', smsType: 'Transactional', user: fingerprint(username), characters: message.length });
    return 'logged';
  }
}
