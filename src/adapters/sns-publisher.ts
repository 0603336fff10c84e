import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Publisher } from '../ports';

export class SnsPublisher implements Publisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(subject: string, message: string): Promise<void> {
    // SNS subjects: ASCII, no newlines, at most 100 characters.
    const safeSubject = subject.replace(/[^\x20-\x7E]/g, ' ').slice(0, 100);
    await this.sns.send(new PublishCommand({ TopicArn: this.topicArn, Subject: safeSubject, Message: message }));
  }
}
