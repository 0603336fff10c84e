/**
 * The EC2 and SNS/Cognito adapters against aws-sdk-client-mock (neither service has an emulator):
 * the exact commands and inputs, and how EC2's error codes map.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2SecurityGroupGateway } from '../../../src/adapters/allowlist/ec2-security-group-gateway';
import { CognitoPhoneDirectory, SnsAdminNotifier } from '../../../src/adapters/allowlist/sns-admin-notifier';
import { SecurityGroupFullError } from '../../../src/domain/allowlist/errors';
import { logger } from '../../../src/logger';
import { httpStatusOf } from '../../../src/middleware/http-errors';

const ec2Error = (code: string) => Object.assign(new Error(code), { name: code, Code: code, $metadata: {} });

describe('Ec2SecurityGroupGateway', () => {
  const ec2 = mockClient(EC2Client);
  const gateway = new Ec2SecurityGroupGateway(new EC2Client({ region: 'us-east-1' }), { dynamicGroupId: 'sg-0dyn00000000000aa', officeGroupId: 'sg-0off00000000000bb' });
  beforeEach(() => ec2.reset());

  it('authorizes TCP 443 from one IPv4 host with the description', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    await expect(gateway.authorize({ cidr: '81.2.70.5/32', family: 4, description: 'alice 2026-01-05T10:00:00Z' })).resolves.toEqual({ created: true });
    expect(ec2).toHaveReceivedCommandTimes(AuthorizeSecurityGroupIngressCommand, 1);
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-0dyn00000000000aa',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '81.2.70.5/32', Description: 'alice 2026-01-05T10:00:00Z' }] }],
    });
  });

  it('authorizes an IPv6 host through Ipv6Ranges', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    await gateway.authorize({ cidr: '2a00:1450::1/128', family: 6, description: 'bob 2026-01-05T10:00:00Z' });
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]!.args[0].input.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '2a00:1450::1/128', Description: 'bob 2026-01-05T10:00:00Z' }] },
    ]);
  });

  it('InvalidPermission.Duplicate is success (created: false); the rule limit is a 409; anything else propagates', async () => {
    ec2
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejectsOnce(ec2Error('InvalidPermission.Duplicate'))
      .rejectsOnce(ec2Error('RulesPerSecurityGroupLimitExceeded'))
      .rejectsOnce(ec2Error('UnauthorizedOperation'));
    await expect(gateway.authorize({ cidr: '81.2.70.5/32', family: 4, description: 'a' })).resolves.toEqual({ created: false });
    const full = await gateway.authorize({ cidr: '81.2.70.6/32', family: 4, description: 'a' }).catch((e) => e);
    expect(full).toBeInstanceOf(SecurityGroupFullError);
    expect(httpStatusOf(full)).toBe(409);
    expect(full.message).toMatch(/rule limit/);
    await expect(gateway.authorize({ cidr: '81.2.70.7/32', family: 4, description: 'a' })).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });

  it('revokes by the same permission, without the description; NotFound and UnknownIpPermissions are removed: false', async () => {
    ec2
      .on(RevokeSecurityGroupIngressCommand)
      .resolvesOnce({ Return: true })
      .resolvesOnce({ Return: true, UnknownIpPermissions: [{ IpProtocol: 'tcp' }] })
      .rejectsOnce(ec2Error('InvalidPermission.NotFound'));
    await expect(gateway.revoke({ cidr: '81.2.70.5/32', family: 4 })).resolves.toEqual({ removed: true });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-0dyn00000000000aa',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '81.2.70.5/32' }] }],
    });
    await expect(gateway.revoke({ cidr: '81.2.70.5/32', family: 4 })).resolves.toEqual({ removed: false });
    await expect(gateway.revoke({ cidr: '2a00:1450::1/128', family: 6 })).resolves.toEqual({ removed: false });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[2]!.args[0].input.IpPermissions![0]!.Ipv6Ranges).toEqual([{ CidrIpv6: '2a00:1450::1/128' }]);
  });

  it('lists both groups (paginated), ingress only, host rules only', async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({
        SecurityGroupRules: [
          { GroupId: 'sg-0off00000000000bb', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '81.2.69.0/24', Description: 'HQ' },
          { GroupId: 'sg-0off00000000000bb', IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        SecurityGroupRules: [
          { GroupId: 'sg-0dyn00000000000aa', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '2a00:1450::1/128', Description: 'bob 2026-01-05T10:00:00Z' },
          { GroupId: 'sg-0dyn00000000000aa', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ReferencedGroupInfo: { GroupId: 'sg-other' } },
        ],
      });
    await expect(gateway.list()).resolves.toEqual({
      office: [{ cidr: '81.2.69.0/24', protocol: 'tcp', fromPort: 443, toPort: 443, description: 'HQ' }],
      dynamic: [{ cidr: '2a00:1450::1/128', protocol: 'tcp', fromPort: 443, toPort: 443, description: 'bob 2026-01-05T10:00:00Z' }],
    });
    const calls = ec2.commandCalls(DescribeSecurityGroupRulesCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { Filters: [{ Name: 'group-id', Values: ['sg-0dyn00000000000aa', 'sg-0off00000000000bb'] }], MaxResults: 1000 },
      { Filters: [{ Name: 'group-id', Values: ['sg-0dyn00000000000aa', 'sg-0off00000000000bb'] }], MaxResults: 1000, NextToken: 'page-2' },
    ]);
  });
});

describe('SnsAdminNotifier + CognitoPhoneDirectory', () => {
  const sns = mockClient(SNSClient);
  const cognito = mockClient(CognitoIdentityProviderClient);
  const notifier = new SnsAdminNotifier(new SNSClient({ region: 'us-east-1' }), new CognitoPhoneDirectory(new CognitoIdentityProviderClient({ region: 'us-east-1' }), 'us-east-1_Pool1'));
  const PHONE = '+14155550123';
  let logs: string[];
  beforeEach(() => {
    sns.reset();
    cognito.reset();
    logs = [];
    for (const level of ['info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logs.push(JSON.stringify(args)));
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the verified number from Cognito and publishes a Transactional SMS to it', async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: 'alice', UserAttributes: [{ Name: 'phone_number', Value: PHONE }, { Name: 'phone_number_verified', Value: 'true' }] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await expect(notifier.notify('alice', 'hello')).resolves.toBe('sent');
    expect(cognito.commandCalls(AdminGetUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: 'us-east-1_Pool1', Username: 'alice' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: PHONE,
      Message: 'hello',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('an unverified or missing number, or an unknown user, sends nothing (no-phone)', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolvesOnce({ UserAttributes: [{ Name: 'phone_number', Value: PHONE }, { Name: 'phone_number_verified', Value: 'false' }] })
      .resolvesOnce({ UserAttributes: [] })
      .rejectsOnce(Object.assign(new Error('nope'), { name: 'UserNotFoundException' }));
    await expect(notifier.notify('alice', 'x')).resolves.toBe('no-phone');
    await expect(notifier.notify('alice', 'x')).resolves.toBe('no-phone');
    await expect(notifier.notify('ghost', 'x')).resolves.toBe('no-phone');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('an SNS or Cognito failure is reported as failed, never thrown, and the number never reaches the logs', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolvesOnce({ UserAttributes: [{ Name: 'phone_number', Value: PHONE }, { Name: 'phone_number_verified', Value: 'true' }] })
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
    sns.on(PublishCommand).rejects(Object.assign(new Error(`Invalid parameter: PhoneNumber ${PHONE}`), { name: 'InvalidParameterException' }));
    await expect(notifier.notify('alice', 'x')).resolves.toBe('failed');
    await expect(notifier.notify('alice', 'x')).resolves.toBe('failed');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(PHONE);
    expect(logs.join('\n')).not.toContain('5550123');
  });
});
