/**
 * EC2 and Cognito clients of the allowlist functions, built once per process. Only used in AWS:
 * on the local stack the stand-ins (local-stand-ins.ts) replace them, so they need no endpoint.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EC2Client } from '@aws-sdk/client-ec2';

const region = () => process.env.AWS_REGION ?? 'us-east-1';
let ec2: EC2Client | undefined;
let cognito: CognitoIdentityProviderClient | undefined;
export const ec2Client = () => (ec2 ??= new EC2Client({ region: region(), maxAttempts: 3 }));
export const cognitoClient = () => (cognito ??= new CognitoIdentityProviderClient({ region: region(), maxAttempts: 3 }));
