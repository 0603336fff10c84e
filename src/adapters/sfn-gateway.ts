import { DescribeExecutionCommand, ExecutionDoesNotExist, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { ExecutionGateway, ExecutionStatus } from '../ports';

export class SfnExecutionGateway implements ExecutionGateway {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  executionArnFor(name: string): string {
    // arn:aws:states:<region>:<account>:stateMachine:<sm> → …:execution:<sm>:<name>
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async start(name: string, input: unknown) {
    try {
      const res = await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { executionArn: res.executionArn!, startDate: (res.startDate ?? new Date()).toISOString() };
    } catch (err) {
      if ((err as { name?: string }).name === 'ExecutionAlreadyExists') {
        throw new ConflictError(`a run named ${name} already exists`);
      }
      throw err;
    }
  }

  async describe(executionArn: string) {
    try {
      const res = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn,
        name: res.name ?? executionArn.split(':').pop()!,
        status: res.status as ExecutionStatus,
        startDate: (res.startDate ?? new Date(0)).toISOString(),
        ...(res.stopDate ? { stopDate: res.stopDate.toISOString() } : {}),
        ...(res.output ? { output: JSON.parse(res.output) as unknown } : {}),
        ...(res.error ? { error: res.error } : {}),
      };
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist || (err as { name?: string }).name === 'ExecutionDoesNotExist') {
        throw new NotFoundError(`run ${executionArn.split(':').pop()} not found`);
      }
      throw err;
    }
  }
}
