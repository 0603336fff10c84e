import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, type Readable } from 'node:stream';
import { NotFoundError } from '../domain/errors';
import type { ObjectStore, ObjectWriter } from '../ports';

const isNotFound = (err: unknown): boolean =>
  err instanceof NoSuchKey || (err as { name?: string })?.name === 'NoSuchKey' || (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/** ObjectStore over one S3 bucket. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new NotFoundError(`s3://${this.bucket}/${key} does not exist`);
      throw err;
    }
  }

  async getText(key: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const part of await this.getStream(key)) chunks.push(Buffer.from(part));
    return Buffer.concat(chunks).toString('utf8');
  }

  async putText(key: string, body: string, contentType = 'application/octet-stream'): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  openWriter(key: string, contentType = 'application/octet-stream'): ObjectWriter {
    const body = new PassThrough();
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
    });
    const done = upload.done();
    // Surface upload errors on close()/write(), not as an unhandled rejection.
    done.catch(() => undefined);
    return {
      write: (chunk: string) =>
        new Promise<void>((resolve, reject) => {
          if (body.write(chunk)) resolve();
          else body.once('drain', resolve).once('error', reject);
        }),
      close: async () => {
        body.end();
        await done;
      },
      abort: async () => {
        await upload.abort();
        body.destroy();
      },
    };
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
