import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ModelInvocationError, ModelThrottledError } from '../domain/errors';
import { encodeCsvRows, parsePredictions } from '../domain/model/sagemaker-csv';
import type { XgbModel } from '../domain/model/xgboost';
import type { Scorer } from '../ports';
import { mapLimit } from './dynamo-batch';

/** The evaluator inside the function: no endpoint to pay for while idle. */
export class EmbeddedScorer implements Scorer {
  constructor(
    private readonly model: XgbModel,
    readonly modelVersion: string,
  ) {}

  async score(rows: Float64Array, nCols: number): Promise<Float64Array> {
    return this.model.predictBatch(rows, nCols);
  }
}

const THROTTLE_NAMES = new Set(['ThrottlingException', 'ServiceUnavailable', 'TooManyRequestsException']);

/** Packs CSV lines into payloads of at most maxBytes (the endpoint rejects larger bodies). */
export function packPayloads(lines: readonly string[], maxBytes: number): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (bytes > maxBytes) throw new ModelInvocationError(`one feature row is ${bytes} bytes, over the ${maxBytes}-byte payload limit`);
    if (size + bytes > maxBytes && current.length > 0) {
      payloads.push(current.join('\n'));
      current = [];
      size = 0;
    }
    current.push(line);
    size += bytes;
  }
  if (current.length > 0) payloads.push(current.join('\n'));
  return payloads;
}

/**
 * A SageMaker real-time endpoint running the built-in XGBoost container: text/csv without a
 * header, an empty field for a missing value, payloads kept under the configured limit.
 */
export class SageMakerEndpointScorer implements Scorer {
  readonly modelVersion: string;

  constructor(
    private readonly client: SageMakerRuntimeClient,
    private readonly endpointName: string,
    private readonly maxPayloadBytes: number,
    private readonly concurrency = 4,
  ) {
    this.modelVersion = `endpoint:${endpointName}`;
  }

  async score(rows: Float64Array, nCols: number): Promise<Float64Array> {
    const nRows = rows.length / nCols;
    if (nRows === 0) return new Float64Array(0);
    // One line per row; a trailing newline, if any, is dropped by the slice.
    const lines = encodeCsvRows(rows, nCols).split('\n').slice(0, nRows);
    const payloads = packPayloads(lines, this.maxPayloadBytes);
    const parts = await mapLimit(payloads, this.concurrency, (body) => this.invoke(body));
    const out = new Float64Array(nRows);
    let at = 0;
    for (const part of parts) for (const p of part) out[at++] = p;
    if (at !== nRows) throw new ModelInvocationError(`endpoint returned ${at} predictions for ${nRows} rows`);
    return out;
  }

  private async invoke(body: string): Promise<number[]> {
    try {
      const res = await this.client.send(
        new InvokeEndpointCommand({ EndpointName: this.endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: body }),
      );
      return parsePredictions(new TextDecoder().decode(res.Body), res.ContentType);
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
      if (THROTTLE_NAMES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429 || e.$metadata?.httpStatusCode === 503) {
        throw new ModelThrottledError(`endpoint ${this.endpointName} throttled the request`, { cause: err });
      }
      if (err instanceof ModelInvocationError) throw err;
      throw new ModelInvocationError(`endpoint ${this.endpointName} failed: ${e.name ?? 'Error'}`, { cause: err });
    }
  }
}
