/**
 * Packages the service offline for dev and prod (`sls package`, dummy credentials, no AWS calls)
 * and checks the generated CloudFormation. The encryption and IAM rules are generic: any resource
 * added later is held to them too.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
// Not under .serverless/: sls copies .serverless/* into the --package folder (endless recursion).
const outDir = (stage: string) => join('.build', 'sls-package-test', stage);

type Resource = { Type: string; Properties?: Record<string, any>; DependsOn?: unknown };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, unknown> };

const FUNCTIONS: Record<string, string> = {
  fetch: 'FetchRole',
  infer: 'InferRole',
  persist: 'PersistRole',
  strategy: 'StrategyRole',
  notify: 'NotifyRole',
  startRun: 'StartRunRole',
  getRun: 'GetRunRole',
  sendEmail: 'SendEmailRole',
  sendSms: 'SendSmsRole',
  dispatch: 'DispatchRole',
  dialerResults: 'DialerResultsRole',
  sesNotifications: 'SesNotificationsRole',
  engagementStream: 'EngagementStreamRole',
  unsubscribe: 'UnsubscribeRole',
  upsertAccounts: 'UpsertAccountsRole',
  recordPayment: 'RecordPaymentRole',
  getMe: 'GetMeRole',
  createPromise: 'CreatePromiseRole',
  updatePreferences: 'UpdatePreferencesRole',
  openapi: 'OpenApiRole',
  creditScore: 'CreditScoreRole',
  allowlistAdd: 'AllowlistAddRole',
  allowlistList: 'AllowlistListRole',
  allowlistRevoke: 'AllowlistRevokeRole',
  allowlistExpire: 'AllowlistExpireRole',
  cdpExtract: 'CdpExtractRole',
  cdpProcess: 'CdpProcessRole',
  cdpBackfill: 'CdpBackfillRole',
  fraudAlert: 'FraudAlertRole',
  analyticsOperational: 'AnalyticsOperationalRole',
  analyticsStrategic: 'AnalyticsStrategicRole',
};
const lambdaLogicalId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;

/** Log groups allowed without a KMS key, with the reason. None today. */
const UNENCRYPTED_LOG_GROUPS: Record<string, string> = {};

/**
 * Actions that have no resource-level permissions, so IAM only accepts Resource "*":
 * X-Ray tracing, and the CloudWatch Logs "vended log delivery" APIs that Step Functions logging
 * needs (serverless-step-functions adds them to the state machine role when loggingConfig is set).
 */
const STAR_RESOURCE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

/**
 * Per owner (role or policy), actions allowed on "*" because they have no resource ARN, with the
 * reason: SMS to a phone number (SNS Publish with PhoneNumber) and EC2 Describe* (read-only,
 * held to the stack's region by a condition).
 */
const STAR_RESOURCE_BY_OWNER: Record<string, string[]> = {
  AllowlistAddRole: ['sns:Publish'],
  AllowlistAddEc2Policy: ['ec2:DescribeSecurityGroupRules'],
  AllowlistListEc2Policy: ['ec2:DescribeSecurityGroupRules'],
};

const templates: Record<string, Template> = {};

async function slsPackage(stage: string): Promise<Template> {
  await run('npx', ['sls', 'package', '--stage', stage, '--package', outDir(stage)], {
    cwd: ROOT,
    env: {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      // Its own esbuild work folder: an `sls offline` or another package run in this checkout
      // would otherwise share (and delete) `.esbuild` under it.
      CUREPATH_ESBUILD_WORK_FOLDER: join('.build', 'sls-package-test', `${stage}-esbuild`),
      AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    },
    maxBuffer: 32 * 1024 * 1024,
  });
  return JSON.parse(readFileSync(join(ROOT, outDir(stage), 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

beforeAll(async () => {
  // Sequential: both runs share serverless-esbuild's .esbuild work folder.
  templates.dev = await slsPackage('dev');
  templates.prod = await slsPackage('prod');
}, 600_000);

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; NotResource?: unknown };
function iamStatements(t: Template): { owner: string; statement: Statement }[] {
  const out: { owner: string; statement: Statement }[] = [];
  for (const [id, r] of Object.entries(t.Resources)) {
    const docs: any[] = [];
    if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties?.Policies ?? []) docs.push(p.PolicyDocument);
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties?.PolicyDocument);
    for (const doc of docs) for (const s of [doc?.Statement ?? []].flat()) out.push({ owner: id, statement: s });
  }
  return out;
}
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The definition with the plugin's Fn::Sub placeholders for function ARNs spelled as `GetAtt:<LogicalId>`. */
function stateMachineDefinition(t: Template): any {
  const def = t.Resources.DailyCollectionsStateMachine!.Properties!.DefinitionString;
  if (typeof def === 'string') return JSON.parse(def);
  const [text, vars] = Array.isArray(def['Fn::Sub']) ? def['Fn::Sub'] : [def['Fn::Sub'], {}];
  const resolved = (text as string).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const v = (vars as Record<string, any>)[name];
    return v?.['Fn::GetAtt'] ? `GetAtt:${v['Fn::GetAtt'][0]}` : whole;
  });
  return JSON.parse(resolved);
}

describe.each(['dev', 'prod'])('sls package --stage %s', (stage) => {
  const t = () => templates[stage]!;

  it('HTTP API: Cognito JWT authorizer, every route authorized or deliberately public, per-route throttling', () => {
    const res = templates[stage]!.Resources;
    const auth = res.HttpApiAuthorizerCognitoJwt!;
    expect(auth.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: 'UserPoolClient' }],
        Issuer: { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}' },
      },
    });
    expect(res.UserPool!.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: stage === 'prod' ? 'ACTIVE' : 'INACTIVE',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(res.UserPoolClient!.Properties).toMatchObject({ AccessTokenValidity: 30, TokenValidityUnits: { AccessToken: 'minutes' }, GenerateSecret: false });
    const groups = Object.values(res).filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup').map((r) => r.Properties!.GroupName);
    expect(groups.sort()).toEqual(['admin', 'agent', 'customer']);

    const routes = Object.entries(res).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route');
    const PUBLIC = new Set(['GET /openapi.json', 'GET /unsubscribe', 'POST /unsubscribe']);
    for (const [, r] of routes) {
      const key = r.Properties!.RouteKey as string;
      if (PUBLIC.has(key)) expect(r.Properties!.AuthorizationType).toBeUndefined();
      else expect([key, r.Properties!.AuthorizationType, r.Properties!.AuthorizerId]).toEqual([key, 'JWT', { Ref: 'HttpApiAuthorizerCognitoJwt' }]);
    }
    expect(routes.map(([, r]) => r.Properties!.RouteKey)).toEqual(expect.arrayContaining(['POST /runs', 'GET /runs/{id}', 'GET /openapi.json']));

    // Every route has its own throttling; the stage waits for the routes it names.
    const stageRes = res.HttpApiStage!;
    expect(stageRes.Properties!.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const settings = stageRes.Properties!.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const routeKeys = routes.map(([, r]) => r.Properties!.RouteKey as string).sort();
    expect(Object.keys(settings).sort()).toEqual(routeKeys);
    for (const s of Object.values(settings)) {
      expect(s.ThrottlingRateLimit).toBeGreaterThan(0);
      expect(s.ThrottlingBurstLimit).toBeGreaterThanOrEqual(s.ThrottlingRateLimit);
    }
    expect([...(stageRes.DependsOn as string[])].sort()).toEqual(routes.map(([id]) => id).sort());
    expect(settings['POST /runs']).toEqual({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 });
  });

  it('every Lambda is nodejs22.x on arm64 with its own role', () => {
    const lambdas = ofType(t(), 'AWS::Lambda::Function');
    expect(lambdas.map(([id]) => id).sort()).toEqual(Object.keys(FUNCTIONS).map(lambdaLogicalId).sort());
    const roles = new Set<string>();
    for (const [id, fn] of lambdas) {
      expect([id, fn.Properties!.Runtime]).toEqual([id, 'nodejs22.x']);
      expect([id, fn.Properties!.Architectures]).toEqual([id, ['arm64']]);
      const role = fn.Properties!.Role;
      expect(role['Fn::GetAtt']?.[1]).toBe('Arn');
      const roleId = role['Fn::GetAtt'][0] as string;
      expect(t().Resources[roleId]?.Type).toBe('AWS::IAM::Role');
      roles.add(roleId);
    }
    expect(roles.size).toBe(lambdas.length);
    for (const [fn, roleId] of Object.entries(FUNCTIONS)) {
      expect(t().Resources[lambdaLogicalId(fn)]!.Properties!.Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
  });

  it('every function role writes only to its own log group', () => {
    for (const [fn, roleId] of Object.entries(FUNCTIONS)) {
      const statements = iamStatements(t()).filter((s) => s.owner === roleId).map((s) => s.statement);
      const logs = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      expect(JSON.stringify(logs[0]!.Resource)).toContain(`log-group:/aws/lambda/curepath-${stage}-${fn}:*`);
    }
  });

  it('the environment follows the contract', () => {
    const env = (fn: string) => t().Resources[lambdaLogicalId(fn)]!.Properties!.Environment.Variables;
    for (const fn of Object.keys(FUNCTIONS)) {
      expect(env(fn)).toMatchObject({ STAGE: stage, POWERTOOLS_SERVICE_NAME: 'curepath', POWERTOOLS_LOG_LEVEL: stage === 'prod' ? 'INFO' : 'DEBUG' });
    }
    for (const fn of ['fetch', 'infer', 'persist', 'strategy', 'notify']) expect(env(fn).DATA_BUCKET).toEqual({ Ref: 'DataBucket' });
    expect(env('fetch').CHUNK_SIZE).toBe('2000');
    expect(env('infer')).toMatchObject({
      MODEL_BACKEND: stage === 'prod' ? 'endpoint' : 'embedded',
      MODEL_ENDPOINT_NAME: `curepath-${stage}-propensity`,
      MODEL_MAX_PAYLOAD_BYTES: '4500000',
    });
    expect(env('persist').RANKINGS_TABLE).toEqual({ Ref: 'RankingsTable' });
    expect(env('strategy')).toMatchObject({ CONTACTS_TABLE: { Ref: 'ContactsTable' } });
    expect(env('notify').SUMMARY_TOPIC_ARN).toEqual({ Ref: 'SummaryTopic' });
    expect(env('startRun').STATE_MACHINE_ARN).toEqual({ Ref: 'DailyCollectionsStateMachine' });
    expect(env('getRun').STATE_MACHINE_ARN).toEqual({ Ref: 'DailyCollectionsStateMachine' });
    expect(env('unsubscribe')).toMatchObject({ SENDS_TABLE: { Ref: 'SendsTable' }, CONTACTS_TABLE: { Ref: 'ContactsTable' } });
    expect(env('unsubscribe').UNSUBSCRIBE_TOKEN_SECRET).toEqual(env('sendEmail').UNSUBSCRIBE_TOKEN_SECRET);
  });

  it('encrypts every data store at rest', () => {
    const dataKeyArn = { 'Fn::GetAtt': ['DataKey', 'Arn'] };
    const tables = ofType(t(), 'AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id).sort()).toEqual(['AccountsTable', 'AllowlistTable', 'CdpStateTable', 'ContactsTable', 'CoreTable', 'EngagementTable', 'RankingsTable', 'SendsTable']);
    for (const [id, r] of tables) {
      expect([id, r.Properties!.SSESpecification]).toEqual([id, { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: dataKeyArn }]);
      expect([id, r.Properties!.PointInTimeRecoverySpecification]).toEqual([id, { PointInTimeRecoveryEnabled: true }]);
      expect([id, r.Properties!.DeletionProtectionEnabled]).toEqual([id, stage === 'prod']);
    }
    for (const [id, r] of ofType(t(), 'AWS::S3::Bucket')) {
      expect([id, r.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.length]).toEqual([id, 1]);
    }
    const queues = ofType(t(), 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(7);
    for (const [id, r] of queues) {
      expect([id, Boolean(r.Properties?.KmsMasterKeyId || r.Properties?.SqsManagedSseEnabled)]).toEqual([id, true]);
    }
    const streams = ofType(t(), 'AWS::Kinesis::Stream');
    expect(streams.map(([id]) => id).sort()).toEqual(['EngagementStream', 'TransactionsStream']);
    for (const [id, r] of streams) expect([id, r.Properties?.StreamEncryption?.EncryptionType]).toEqual([id, 'KMS']);
    const firehoses = ofType(t(), 'AWS::KinesisFirehose::DeliveryStream');
    expect(firehoses.map(([id]) => id).sort()).toEqual(['EngagementArchiveStream', 'LakeEngagementEventsStream', 'LakeSendsStream', 'LakeTransactionsStream']);
    for (const [id, r] of firehoses) {
      expect([id, Boolean(r.Properties?.DeliveryStreamEncryptionConfigurationInput)]).toEqual([id, true]);
    }
    for (const [id, r] of ofType(t(), 'AWS::SecretsManager::Secret')) expect([id, r.Properties?.KmsKeyId]).toEqual([id, dataKeyArn]);
    const topics = ofType(t(), 'AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThan(0);
    for (const [id, r] of topics) expect([id, r.Properties?.KmsMasterKeyId]).toEqual([id, dataKeyArn]);
    const logGroups = ofType(t(), 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBe(Object.keys(FUNCTIONS).length + 1);
    for (const [id, r] of logGroups) {
      if (id in UNENCRYPTED_LOG_GROUPS) continue;
      expect([id, r.Properties?.KmsKeyId]).toEqual([id, dataKeyArn]);
      expect([id, r.Properties?.RetentionInDays]).toEqual([id, stage === 'prod' ? 365 : 14]);
    }
  });

  it('the data bucket uses the stage key, blocks public access and denies plain HTTP', () => {
    const bucket = t().Resources.DataBucket!.Properties!;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey', 'Arn'] } },
      BucketKeyEnabled: true,
    });
    expect(Object.values(bucket.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    const policy = t().Resources.DataBucketPolicy!.Properties!.PolicyDocument.Statement;
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const key = t().Resources.DataKey!.Properties!;
    expect(key.EnableKeyRotation).toBe(true);
  });

  it(`the schedule rule is ${stage === 'prod' ? 'ENABLED' : 'DISABLED'}`, () => {
    const rules = ofType(t(), 'AWS::Events::Rule').filter(([, r]) =>
      (r.Properties?.Targets ?? []).some((x: any) => x.Arn?.Ref === 'DailyCollectionsStateMachine'),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties!.State).toBe(stage === 'prod' ? 'ENABLED' : 'DISABLED');
  });

  it('the state machine exists with the stage MaxConcurrency, ERROR logging without data, and tracing', () => {
    const sm = t().Resources.DailyCollectionsStateMachine!;
    expect(sm.Type).toBe('AWS::StepFunctions::StateMachine');
    expect(sm.Properties!.StateMachineName).toBe(`curepath-${stage}-daily-collections`);
    expect(sm.Properties!.LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: false });
    expect(sm.Properties!.TracingConfiguration).toEqual({ Enabled: true });
    const def = stateMachineDefinition(t());
    expect(def.States.ProcessChunks.MaxConcurrency).toBe(stage === 'prod' ? 10 : 4);
    const inner = def.States.ProcessChunks.ItemProcessor.States;
    expect([def.States.Fetch, inner.Infer, inner.Persist, inner.Strategy, def.States.Notify, def.States.NotifyRunFailed].map((s) => s.Resource)).toEqual(
      ['Fetch', 'Infer', 'Persist', 'Strategy', 'Notify', 'Notify'].map((f) => `GetAtt:${f}LambdaFunction`),
    );
  });

  it('no IAM statement allows Resource "*" except for actions that have no resource-level permissions', () => {
    const statements = iamStatements(t());
    expect(statements.length).toBeGreaterThan(0);
    for (const { owner, statement } of statements) {
      if (statement.Effect !== 'Allow') continue;
      const actions = asArray(statement.Action);
      expect([owner, actions.filter((a) => a.includes('*'))]).toEqual([owner, []]);
      expect([owner, statement.NotResource]).toEqual([owner, undefined]);
      if (asArray(statement.Resource).includes('*')) {
        expect([owner, actions.filter((a) => !STAR_RESOURCE_ACTIONS.has(a) && !(STAR_RESOURCE_BY_OWNER[owner] ?? []).includes(a))]).toEqual([owner, []]);
      }
    }
  });

  it('POST /payments and POST /me/promises put lake rows to the engagement lake stream only (docs/analytics.md)', () => {
    for (const [fn, role] of [['RecordPaymentLambdaFunction', 'RecordPaymentRole'], ['CreatePromiseLambdaFunction', 'CreatePromiseRole']] as const) {
      expect([fn, t().Resources[fn]!.Properties!.Environment.Variables.LAKE_ENGAGEMENT_STREAM_NAME]).toEqual([fn, { Ref: 'LakeEngagementEventsStream' }]);
      const firehose = iamStatements(t()).filter(({ owner, statement }) => owner === role && asArray(statement.Action).some((a) => a.startsWith('firehose:')));
      expect(firehose.map(({ statement }) => [asArray(statement.Action), statement.Resource])).toEqual([
        [['firehose:PutRecordBatch'], [{ 'Fn::GetAtt': ['LakeEngagementEventsStream', 'Arn'] }]],
      ]);
    }
  });

  it('outputs the names and ARNs the operators and the local stack need', () => {
    expect(Object.keys(t().Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'DataBucketName',
        'SummaryTopicArn',
        'DailyCollectionsStateMachineArn',
        'RankingsTableName',
        'ContactsTableName',
        'SendsTableName',
        'EngagementTableName',
        'OutboundEmailQueueUrl',
        'OutboundSmsQueueUrl',
        'EngagementNotificationsQueueUrl',
        'SesNotificationsTopicArn',
        'SmsInboundTopicArn',
        'EngagementStreamName',
      ]),
    );
  });

  const mappingOf = (fn: string) => {
    const found = ofType(t(), 'AWS::Lambda::EventSourceMapping').filter(([, r]) => r.Properties?.FunctionName?.['Fn::GetAtt']?.[0] === lambdaLogicalId(fn));
    expect(found).toHaveLength(1);
    return found[0]![1].Properties!;
  };

  it('SQS-triggered functions: batch item failures, a DLQ with maxReceiveCount, visibility timeout ≥ 6 × the function timeout', () => {
    for (const [fn, queue, concurrency] of [
      ['sendEmail', 'OutboundEmailQueue', 5],
      ['sendSms', 'OutboundSmsQueue', 5],
      ['sesNotifications', 'EngagementNotificationsQueue', undefined],
    ] as const) {
      const m = mappingOf(fn);
      expect(m).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(m.ScalingConfig?.MaximumConcurrency).toBe(concurrency);
      const q = t().Resources[queue]!.Properties!;
      expect(q.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(t().Resources[q.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]]!.Type).toBe('AWS::SQS::Queue');
      expect(q.VisibilityTimeout).toBeGreaterThanOrEqual(6 * t().Resources[lambdaLogicalId(fn)]!.Properties!.Timeout);
    }
  });

  it('the Kinesis mapping bisects, reports batch item failures, has finite retries/age and an on-failure destination', () => {
    expect(mappingOf('engagementStream')).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['EngagementStream', 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 86400,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['EngagementStreamFailureQueue', 'Arn'] } } },
    });
  });

  it(`the dispatch schedule (every 15 minutes) is ${stage === 'prod' ? 'ENABLED' : 'DISABLED'}`, () => {
    const rules = ofType(t(), 'AWS::Events::Rule').filter(([, r]) => (r.Properties?.Targets ?? []).some((x: any) => x.Arn?.['Fn::GetAtt']?.[0] === 'DispatchLambdaFunction'));
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties).toMatchObject({ ScheduleExpression: 'rate(15 minutes)', State: stage === 'prod' ? 'ENABLED' : 'DISABLED' });
  });

  it('SES and SMS events reach the engagement stream partitioned by account; SNS topics feed the notifications queue', () => {
    const rules = ofType(t(), 'AWS::Events::Rule').filter(([, r]) => (r.Properties?.Targets ?? []).some((x: any) => x.Arn?.['Fn::GetAtt']?.[0] === 'EngagementStream'));
    expect(rules.map(([, r]) => r.Properties!.EventPattern.source[0]).sort()).toEqual(['aws.ses', 'aws.sms-voice']);
    for (const [, r] of rules) expect(r.Properties!.Targets[0].KinesisParameters.PartitionKeyPath).toMatch(/account/);
    const subs = ofType(t(), 'AWS::SNS::Subscription').map(([, r]) => r.Properties!);
    expect(subs.map((p) => p.TopicArn.Ref).sort()).toEqual(['SesNotificationsTopic', 'SmsInboundTopic']);
    for (const p of subs) expect(p).toMatchObject({ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['EngagementNotificationsQueue', 'Arn'] } });
    expect(t().Resources.OutreachConfigurationSetEvents!.Properties!.EventDestination.EventBridgeDestination).toBeDefined();
  });

  it('admin allowlist: security groups and EC2 policies only with a VPC, rule changes scoped to the dynamic group, expiry every 15 minutes', () => {
    const r = t().Resources;
    for (const id of ['OfficeSecurityGroup', 'DynamicSecurityGroup', 'AllowlistAddEc2Policy', 'AllowlistListEc2Policy', 'AllowlistRevokeEc2Policy', 'AllowlistExpireEc2Policy']) {
      expect([id, (r[id] as any)?.Condition]).toEqual([id, 'AdminVpcEnabled']);
    }
    expect(r.DynamicSecurityGroup!.Properties!.SecurityGroupIngress).toBeUndefined();
    const groupArn = { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/${DynamicSecurityGroup}' };
    const ec2 = iamStatements(t()).filter((s) => asArray(s.statement.Action).some((a) => a.startsWith('ec2:')));
    for (const { owner, statement } of ec2) {
      expect(owner).toMatch(/^Allowlist\w+Ec2Policy$/);
      const actions = asArray(statement.Action);
      if (actions.includes('ec2:DescribeSecurityGroupRules')) expect(actions).toEqual(['ec2:DescribeSecurityGroupRules']);
      else expect([owner, statement.Resource]).toEqual([owner, [groupArn]]);
    }
    const writes = ec2.flatMap((s) => asArray(s.statement.Action).filter((a) => a !== 'ec2:DescribeSecurityGroupRules').map((a) => `${s.owner}:${a}`));
    expect(writes.sort()).toEqual([
      'AllowlistAddEc2Policy:ec2:AuthorizeSecurityGroupIngress',
      'AllowlistExpireEc2Policy:ec2:RevokeSecurityGroupIngress',
      'AllowlistRevokeEc2Policy:ec2:RevokeSecurityGroupIngress',
    ]);
    const env = r.AllowlistAddLambdaFunction!.Properties!.Environment.Variables;
    expect(env).toMatchObject({ ALLOWLIST_TABLE: { Ref: 'AllowlistTable' }, USER_POOL_ID: { Ref: 'UserPool' } });
    expect(env.DYNAMIC_SECURITY_GROUP_ID).toEqual({ 'Fn::If': ['AdminVpcEnabled', { Ref: 'DynamicSecurityGroup' }, ''] });
    const rules = ofType(t(), 'AWS::Events::Rule').filter(([, x]) => (x.Properties?.Targets ?? []).some((y: any) => y.Arn?.['Fn::GetAtt']?.[0] === 'AllowlistExpireLambdaFunction'));
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties).toMatchObject({ ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    const routes = ofType(t(), 'AWS::ApiGatewayV2::Route').map(([, x]) => x.Properties!).filter((p) => String(p.RouteKey).includes('/admin/'));
    expect(routes.map((p) => p.RouteKey).sort()).toEqual(['DELETE /admin/allowlist/{ip}', 'GET /admin/allowlist', 'POST /admin/allowlist']);
    for (const p of routes) expect(p.AuthorizationType).toBe('JWT');
  });
  it('dialer results: the data bucket sends object events to EventBridge; a rule on inbox/dialer-results/ invokes dialerResults, whose failed invocations (2 retries) land in an encrypted queue', () => {
    const res = t().Resources;
    expect(res.DataBucket!.Properties!.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    const rules = ofType(t(), 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes('DialerResultsLambdaFunction'));
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties!.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: 'DataBucket' }] }, object: { key: [{ prefix: 'inbox/dialer-results/' }] } },
    });
    const conf = ofType(t(), 'AWS::Lambda::EventInvokeConfig').find(([, r]) => JSON.stringify(r.Properties?.FunctionName).includes('DialerResultsLambdaFunction'));
    expect(conf?.[1].Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DialerResultsFailureQueue', 'Arn'] } } } });
    // Reads only the inbox prefix, writes only the quarantine prefix.
    const statements = JSON.stringify(res.DialerResultsRole!.Properties);
    expect(statements).toContain('${DataBucket.Arn}/inbox/dialer-results/*');
    expect(statements).toContain('${DataBucket.Arn}/quarantine/dialer-results/*');
    expect(statements).not.toContain('${DataBucket.Arn}/*');
  });
  it('customer data stream: both stream mappings bisect with finite retries and an on-failure queue; the PII key is decryptable by fraudAlert alone, for name and email only', () => {
    const common = { BisectBatchOnFunctionError: true, MaximumRetryAttempts: 3, MaximumRecordAgeInSeconds: 86400, FunctionResponseTypes: ['ReportBatchItemFailures'], StartingPosition: 'TRIM_HORIZON' };
    expect(mappingOf('cdpExtract')).toMatchObject({ ...common, EventSourceArn: { 'Fn::GetAtt': ['CoreTable', 'StreamArn'] }, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['CoreStreamFailureQueue', 'Arn'] } } } });
    expect(mappingOf('cdpProcess')).toMatchObject({ ...common, EventSourceArn: { 'Fn::GetAtt': ['TransactionsStream', 'Arn'] }, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['TransactionsStreamFailureQueue', 'Arn'] } } } });
    expect(mappingOf('fraudAlert')).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['FraudAlertsQueue', 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(t().Resources.CoreTable!.Properties!.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const piiKey = { 'Fn::GetAtt': ['CdpPiiKey', 'Arn'] };
    const onPiiKey = iamStatements(t()).filter(({ statement }) => JSON.stringify(statement.Resource ?? '').includes('CdpPiiKey'));
    const decrypters = onPiiKey.filter(({ statement }) => asArray(statement.Action).includes('kms:Decrypt')).map(({ owner }) => owner);
    expect(decrypters).toEqual(['FraudAlertRole']);
    const decrypt = onPiiKey.find(({ owner }) => owner === 'FraudAlertRole')!.statement as any;
    expect(decrypt.Resource).toEqual([piiKey]);
    expect(decrypt.Condition.StringEquals['kms:EncryptionContext:field']).toEqual(['person', 'email']);
    expect(onPiiKey.filter(({ statement }) => asArray(statement.Action).includes('kms:GenerateDataKey')).map(({ owner }) => owner).sort()).toEqual(['CdpBackfillRole', 'CdpExtractRole']);
    const lake = t().Resources.LakeTransactionsStream!.Properties!.ExtendedS3DestinationConfiguration;
    expect(lake.Prefix).toBe('lake/transactions/dt=!{partitionKeyFromQuery:dt}/');
    expect(lake.DynamicPartitioningConfiguration.Enabled).toBe(true);
    expect(ofType(t(), 'AWS::Athena::NamedQuery').length).toBeGreaterThanOrEqual(4);
    expect(t().Resources.LakeTransactionsTable!.Properties!.TableInput.Parameters['projection.enabled']).toBe('true');
  });
});
