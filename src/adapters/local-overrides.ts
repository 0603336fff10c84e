/**
 * Client settings an emulator of the embedded local stack needs (used only when CUREPATH_LOCAL=1).
 * Kept dependency-light: the app's client factory imports it in every function.
 */
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export type LocalService =
  | 'dynamodb'
  | 's3'
  | 'sqs'
  | 'kinesis'
  | 'sns'
  | 'sfn'
  | 'sagemaker-runtime'
  | 'firehose'
  // Outbound providers: the local stack sets these endpoints once it has SES / SMS stand-ins;
  // until then a client without an endpoint var gets no override (and would call AWS).
  | 'sesv2'
  | 'pinpoint-sms-voice-v2';

/** The environment variable holding each service's local endpoint (the SDK's own naming). */
export const LOCAL_ENDPOINT_VARS: Record<LocalService, string> = {
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3: 'AWS_ENDPOINT_URL_S3',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  kinesis: 'AWS_ENDPOINT_URL_KINESIS',
  sns: 'AWS_ENDPOINT_URL_SNS',
  sfn: 'AWS_ENDPOINT_URL_SFN',
  'sagemaker-runtime': 'AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME',
  firehose: 'AWS_ENDPOINT_URL_FIREHOSE',
  sesv2: 'AWS_ENDPOINT_URL_SESV2',
  'pinpoint-sms-voice-v2': 'AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2',
};

type Env = Record<string, string | undefined>;

export function localClientOverrides(service: LocalService, env: Env = process.env): Record<string, unknown> {
  const endpoint = env[LOCAL_ENDPOINT_VARS[service]];
  const base: Record<string, unknown> = {
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local' },
    ...(endpoint ? { endpoint } : {}),
  };
  switch (service) {
    case 's3':
      // s3rver: path-style addressing, and it checks signatures against these fixed credentials.
      return { ...base, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
    case 'sqs':
      // The local SQS (local/emulators/sqs.cjs) speaks the query protocol and matches queue URLs on "localhost".
      return {
        ...base,
        ...(endpoint ? { endpoint: endpoint.replace('127.0.0.1', 'localhost') } : {}),
        protocol: AwsQueryProtocol,
        protocolSettings: {
          defaultNamespace: 'com.amazonaws.sqs',
          xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
          version: '2012-11-05',
        },
      };
    case 'kinesis':
      // The Kinesis client defaults to HTTP/2, which kinesalite does not speak.
      return { ...base, requestHandler: new NodeHttpHandler() };
    default:
      return base;
  }
}
