import { CfnError, createCfnContext, normalizeName, type ResolvedService } from '../../../local/cfn';

const service: ResolvedService = {
  service: 'curepath',
  provider: {
    name: 'aws',
    environment: { STAGE: 'dev', DATA_BUCKET: { Ref: 'DataBucket' }, SHARED: 'provider' },
  },
  functions: {
    fetch: { handler: 'functions/fetch.handler', environment: { SHARED: 'function', QUEUE: { Ref: 'Inbox' } } },
    startRun: { handler: 'functions/start-run.handler', environment: { STATE_MACHINE_ARN: { Ref: 'DailyCollectionsStateMachine' } } },
  },
  stepFunctions: {
    stateMachines: { dailyCollections: { id: 'DailyCollectionsStateMachine', name: 'curepath-dev-daily-collections', definition: {} } },
  },
  resources: {
    Conditions: {
      IsProd: { 'Fn::Equals': ['dev', 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'b'] }] },
    },
    Resources: {
      DataBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'curepath-dev-data-${AWS::AccountId}-${AWS::Region}' } } },
      RankingsTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'curepath-dev-rankings' } },
      Inbox: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'curepath-dev-inbox' } },
      Unnamed: { Type: 'AWS::SQS::Queue' },
      SummaryTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'curepath-dev-run-summary' } },
      Events: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'curepath-dev-events' } },
      DataKey: { Type: 'AWS::KMS::Key' },
    },
  },
};

const ctx = () => createCfnContext(service, { stage: 'dev', sqsEndpoint: 'http://localhost:9324' });

describe('cfn evaluator', () => {
  it('resolves Ref of resources to physical names and of pseudo parameters', () => {
    const c = ctx();
    expect(c.resolve({ Ref: 'RankingsTable' })).toBe('curepath-dev-rankings');
    expect(c.resolve({ Ref: 'DataBucket' })).toBe('curepath-dev-data-000000000000-us-east-1');
    expect(c.resolve({ Ref: 'Inbox' })).toBe('http://localhost:9324/queues/curepath-dev-inbox');
    expect(c.resolve({ Ref: 'SummaryTopic' })).toBe('arn:aws:sns:us-east-1:000000000000:curepath-dev-run-summary');
    expect(c.resolve({ Ref: 'Events' })).toBe('curepath-dev-events');
    expect(c.resolve({ Ref: 'DailyCollectionsStateMachine' })).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:curepath-dev-daily-collections');
    expect(c.resolve({ Ref: 'AWS::StackName' })).toBe('curepath-dev');
    expect(c.resolve({ Ref: 'AWS::Partition' })).toBe('aws');
    expect(c.resolve({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    expect(c.resolve({ Ref: 'Unnamed' })).toBe('http://localhost:9324/queues/curepath-dev-Unnamed');
  });

  it('resolves Fn::GetAtt in list and dotted form', () => {
    const c = ctx();
    expect(c.resolve({ 'Fn::GetAtt': ['RankingsTable', 'Arn'] })).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/curepath-dev-rankings');
    expect(c.resolve({ 'Fn::GetAtt': ['RankingsTable', 'StreamArn'] })).toMatch(/table\/curepath-dev-rankings\/stream\//);
    expect(c.resolve({ 'Fn::GetAtt': 'Inbox.QueueName' })).toBe('curepath-dev-inbox');
    expect(c.resolve({ 'Fn::GetAtt': ['Inbox', 'QueueUrl'] })).toBe('http://localhost:9324/queues/curepath-dev-inbox');
    expect(c.resolve({ 'Fn::GetAtt': ['Inbox', 'Arn'] })).toBe('arn:aws:sqs:us-east-1:000000000000:curepath-dev-inbox');
    expect(c.resolve({ 'Fn::GetAtt': ['fetch', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:000000000000:function:curepath-dev-fetch');
    expect(c.resolve({ 'Fn::GetAtt': ['StartRunLambdaFunction', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:000000000000:function:curepath-dev-startRun');
    expect(c.resolve({ 'Fn::GetAtt': ['DataKey', 'Arn'] })).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
  });

  it('resolves both forms of Fn::Sub, with ${!Literal} escapes and attribute references', () => {
    const c = ctx();
    expect(c.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${DataBucket}/*' })).toBe('arn:aws:s3:::curepath-dev-data-000000000000-us-east-1/*');
    expect(c.resolve({ 'Fn::Sub': '${RankingsTable.Arn}/index/*' })).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/curepath-dev-rankings/index/*');
    expect(c.resolve({ 'Fn::Sub': ['${Name}-${AWS::Region}-${!Keep}', { Name: { Ref: 'Events' } }] })).toBe('curepath-dev-events-us-east-1-${Keep}');
  });

  it('evaluates Join, Select, Split and conditions', () => {
    const c = ctx();
    expect(c.resolve({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, 'b']] })).toBe('a-us-east-1-b');
    expect(c.resolve({ 'Fn::Select': [1, ['x', { Ref: 'Events' }]] })).toBe('curepath-dev-events');
    expect(c.resolve({ 'Fn::Select': [0, { 'Fn::Split': [',', 'p,q'] }] })).toBe('p');
    expect(c.resolve({ 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('no');
    expect(c.resolve({ 'Fn::If': ['IsDev', { Ref: 'Events' }, 'no'] })).toBe('curepath-dev-events');
    expect(c.condition('Both')).toBe(true);
    expect(c.condition('Either')).toBe(false);
  });

  it('fails loudly on unknown intrinsics, resources, attributes and conditions', () => {
    const c = ctx();
    expect(() => c.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Unsupported intrinsic function Fn::ImportValue/);
    expect(() => c.resolve({ Ref: 'Nope' })).toThrow(CfnError);
    expect(() => c.resolve({ 'Fn::GetAtt': ['Events', 'Nope'] })).toThrow(/Events.Nope/);
    expect(() => c.resolve({ 'Fn::If': ['Missing', 1, 2] })).toThrow(/Unknown condition "Missing"/);
    expect(() => c.resolve({ 'Fn::Select': [5, ['a']] })).toThrow(/out of range/);
  });

  it('merges provider and function environment (function wins) into plain strings', () => {
    const c = ctx();
    expect(c.functionEnv('fetch')).toEqual({
      STAGE: 'dev',
      DATA_BUCKET: 'curepath-dev-data-000000000000-us-east-1',
      SHARED: 'function',
      QUEUE: 'http://localhost:9324/queues/curepath-dev-inbox',
    });
    expect(c.functionEnv('startRun').STATE_MACHINE_ARN).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:curepath-dev-daily-collections');
    expect(() => c.functionEnv('nope')).toThrow(/Unknown function/);
  });

  it('normalises names like Serverless does', () => {
    expect(normalizeName('startRun')).toBe('StartRun');
    expect(normalizeName('get-run_x')).toBe('GetDashrunUnderscorex');
  });
});
