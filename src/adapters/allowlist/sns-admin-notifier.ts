import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../../logger';
import type { AdminNotifier, NotifyOutcome } from '../../usecases/allowlist/ports';

export interface PhoneDirectory {
  /** The admin's verified mobile number (E.164), or undefined. */
  phoneOf(username: string): Promise<string | undefined>;
}

/**
 * Phone numbers come from the Cognito user pool (AdminGetUser `phone_number`), not from the
 * token: API Gateway sees access tokens, which carry no phone claim, and the pool is where an
 * admin's MFA number is verified. Only a verified number is used.
 */
export class CognitoPhoneDirectory implements PhoneDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async phoneOf(username: string): Promise<string | undefined> {
    try {
      const out = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }));
      const attr = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
      return attr('phone_number_verified') === 'true' ? attr('phone_number') : undefined;
    } catch (e) {
      if ((e as Error).name === 'UserNotFoundException') return undefined;
      throw e;
    }
  }
}

/** SNS SMS (Publish to a phone number, Transactional). The number is never logged. */
export class SnsAdminNotifier implements AdminNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly phones: PhoneDirectory,
  ) {}

  publishInput(phoneNumber: string, message: string) {
    return {
      PhoneNumber: phoneNumber,
      Message: message,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    };
  }

  async notify(username: string, message: string): Promise<NotifyOutcome> {
    try {
      const phone = await this.phones.phoneOf(username);
      if (!phone) {
        logger.warn('admin has no verified phone number: allowlist SMS not sent');
        return 'no-phone';
      }
      await this.sns.send(new PublishCommand(this.publishInput(phone, message)));
      return 'sent';
    } catch (e) {
      // The entry stands; the audit record carries `notified: failed`.
      logger.warn('allowlist SMS failed', { error: (e as Error).name });
      return 'failed';
    }
  }
}
