import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { ALLOWLIST_PORT } from '../../domain/allowlist/entry';
import { SecurityGroupFullError } from '../../domain/allowlist/errors';
import type { GroupRule, HostRule, SecurityGroupGateway } from '../../usecases/allowlist/ports';

export interface Ec2GatewayOptions {
  /** The group the API adds to and revokes from. */
  dynamicGroupId: string;
  /** The office group (CloudFormation-managed): only ever read. */
  officeGroupId?: string;
}

const codeOf = (e: unknown) => (e as { name?: string; Code?: string })?.Code ?? (e as { name?: string })?.name;

/** TCP 443 from one host; the description only matters on authorize (EC2 matches rules without it). */
function permission(rule: HostRule, description?: string): IpPermission {
  const desc = description === undefined ? {} : { Description: description };
  return {
    IpProtocol: 'tcp',
    FromPort: ALLOWLIST_PORT,
    ToPort: ALLOWLIST_PORT,
    ...(rule.family === 4 ? { IpRanges: [{ CidrIp: rule.cidr, ...desc }] } : { Ipv6Ranges: [{ CidrIpv6: rule.cidr, ...desc }] }),
  };
}

/**
 * The dynamic and office security groups through EC2. Duplicate and not-found answers are
 * success (the API and the expiry sweep may repeat a call); a full group is a 409.
 */
export class Ec2SecurityGroupGateway implements SecurityGroupGateway {
  constructor(
    private readonly ec2: EC2Client,
    private readonly options: Ec2GatewayOptions,
  ) {}

  authorizeInput(rule: HostRule & { description: string }) {
    return { GroupId: this.options.dynamicGroupId, IpPermissions: [permission(rule, rule.description)] };
  }

  revokeInput(rule: HostRule) {
    return { GroupId: this.options.dynamicGroupId, IpPermissions: [permission(rule)] };
  }

  async authorize(rule: HostRule & { description: string }): Promise<{ created: boolean }> {
    try {
      await this.ec2.send(new AuthorizeSecurityGroupIngressCommand(this.authorizeInput(rule)));
      return { created: true };
    } catch (e) {
      const code = codeOf(e);
      if (code === 'InvalidPermission.Duplicate') return { created: false };
      if (code === 'RulesPerSecurityGroupLimitExceeded') throw new SecurityGroupFullError();
      throw e;
    }
  }

  async revoke(rule: HostRule): Promise<{ removed: boolean }> {
    try {
      const out = await this.ec2.send(new RevokeSecurityGroupIngressCommand(this.revokeInput(rule)));
      // EC2 answers Return=true with the unmatched permissions listed when the rule is absent.
      return { removed: (out.UnknownIpPermissions ?? []).length === 0 };
    } catch (e) {
      if (codeOf(e) === 'InvalidPermission.NotFound') return { removed: false };
      throw e;
    }
  }

  async list(): Promise<{ office: GroupRule[]; dynamic: GroupRule[] }> {
    const groupIds = [this.options.dynamicGroupId, ...(this.options.officeGroupId ? [this.options.officeGroupId] : [])];
    const rules: SecurityGroupRule[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: groupIds }], MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }),
      );
      rules.push(...(out.SecurityGroupRules ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    const toRule = (r: SecurityGroupRule): GroupRule[] => {
      const cidr = r.CidrIpv4 ?? r.CidrIpv6;
      // Rules that name a prefix list or another group are not host entries: not listed.
      if (!cidr) return [];
      return [{
        cidr,
        protocol: r.IpProtocol ?? '-1',
        ...(r.FromPort !== undefined && r.FromPort !== -1 ? { fromPort: r.FromPort } : {}),
        ...(r.ToPort !== undefined && r.ToPort !== -1 ? { toPort: r.ToPort } : {}),
        ...(r.Description ? { description: r.Description } : {}),
      }];
    };
    const ingress = rules.filter((r) => !r.IsEgress);
    return {
      office: ingress.filter((r) => r.GroupId === this.options.officeGroupId).flatMap(toRule),
      dynamic: ingress.filter((r) => r.GroupId === this.options.dynamicGroupId).flatMap(toRule),
    };
  }
}
