#!/usr/bin/env node
/**
 * Child-process host of one emulator (argv[2]: dynamodb | s3 | kinesis | sqs | sns | firehose).
 * Each emulator runs in its own process so it uses the second core and never blocks the
 * handlers' event loop. Options arrive as JSON in CUREPATH_EMULATOR_OPTS; the chosen port is
 * reported over IPC ({ type: 'ready', port }). The process exits when its parent goes away.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');

const kind = process.argv[2];
const opts = JSON.parse(process.env.CUREPATH_EMULATOR_OPTS || '{}');
const host = opts.host || '127.0.0.1';

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node >= 17)
 * refuses: every truncated listing (more than MaxKeys, 1,000 by default) failed with a 500. Triple
 * DES with K1 = K2 = K3 is single DES and is still in OpenSSL's default provider, so 'des' is mapped
 * onto it (same tokens, same decryption), for this emulator process only.
 */
function allowS3rverContinuationTokens() {
  const map = (create) => (algorithm, key, iv, options) =>
    String(algorithm).toLowerCase() === 'des' && Buffer.isBuffer(key) && key.length === 8
      ? create('des-ede3-cbc', Buffer.concat([key, key, key]), iv, options)
      : create(algorithm, key, iv, options);
  crypto.createCipheriv = map(crypto.createCipheriv.bind(crypto));
  crypto.createDecipheriv = map(crypto.createDecipheriv.bind(crypto));
}

function ready(port) {
  if (process.send) process.send({ type: 'ready', kind, port });
}
function fail(err) {
  if (process.send) process.send({ type: 'error', kind, message: String((err && err.stack) || err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 50);
}
// Never outlive the parent: no orphaned emulators holding data-dir locks.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

function listenServer(server, listenHost = host) {
  return new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port || 0, listenHost, () => ok(server.address().port));
  });
}

function readBody(req) {
  return new Promise((ok, ko) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', ko);
  });
}

function appendJsonl(dir, name, record) {
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`), JSON.stringify(record) + '\n');
}

const xmlEscape = (s) =>
  String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);

/** Minimal SNS (AWS query protocol, XML answers — what @aws-sdk/client-sns speaks). */
function startSns() {
  const region = opts.region || 'us-east-1';
  const account = opts.accountId || '000000000000';
  const dir = path.join(opts.dataDir, 'sns');
  const topicsFile = path.join(dir, 'topics.json');
  const topics = new Map(); // arn → { name, subscriptions: [] }
  if (!opts.inMemory) try {
    for (const t of JSON.parse(fs.readFileSync(topicsFile, 'utf8'))) topics.set(t.arn, { name: t.name, subscriptions: t.subscriptions || [] });
  } catch {
    /* first start */
  }
  const save = () => {
    if (opts.inMemory) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(topicsFile, JSON.stringify([...topics].map(([arn, t]) => ({ arn, ...t }))));
  };
  const ns = 'http://sns.amazonaws.com/doc/2010-03-31/';
  const reply = (res, action, inner) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result>` +
        `<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    );
  };
  const error = (res, status, code, message) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>` +
        `<RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
    );
  };
  const attributesOf = (p, prefix) => {
    const out = {};
    for (let i = 1; p.has(`${prefix}.entry.${i}.Name`); i++) {
      const name = p.get(`${prefix}.entry.${i}.Name`);
      out[name] = {
        DataType: p.get(`${prefix}.entry.${i}.Value.DataType`),
        StringValue: p.get(`${prefix}.entry.${i}.Value.StringValue`) ?? undefined,
      };
    }
    return out;
  };
  const publish = (arn, p, prefix) => {
    const topic = topics.get(arn);
    if (!topic) return null;
    const messageId = crypto.randomUUID();
    appendJsonl(dir, topic.name, {
      messageId,
      topicArn: arn,
      subject: p.get(`${prefix}Subject`) ?? undefined,
      message: p.get(`${prefix}Message`),
      messageAttributes: attributesOf(p, `${prefix}MessageAttributes`),
      messageGroupId: p.get(`${prefix}MessageGroupId`) ?? undefined,
      timestamp: new Date().toISOString(),
    });
    return messageId;
  };
  const server = http.createServer(async (req, res) => {
    try {
      const body = (await readBody(req)).toString('utf8');
      const p = new URLSearchParams(body);
      const action = p.get('Action');
      switch (action) {
        case 'CreateTopic': {
          const name = p.get('Name');
          const arn = `arn:aws:sns:${region}:${account}:${name}`;
          if (!topics.has(arn)) {
            topics.set(arn, { name, subscriptions: [] });
            save();
          }
          return reply(res, action, `<TopicArn>${xmlEscape(arn)}</TopicArn>`);
        }
        case 'ListTopics':
          return reply(res, action, `<Topics>${[...topics.keys()].map((a) => `<member><TopicArn>${xmlEscape(a)}</TopicArn></member>`).join('')}</Topics>`);
        case 'GetTopicAttributes': {
          const arn = p.get('TopicArn');
          if (!topics.has(arn)) return error(res, 404, 'NotFound', 'Topic does not exist');
          return reply(res, action, `<Attributes><entry><key>TopicArn</key><value>${xmlEscape(arn)}</value></entry></Attributes>`);
        }
        case 'Subscribe': {
          const arn = p.get('TopicArn');
          const topic = topics.get(arn);
          if (!topic) return error(res, 404, 'NotFound', 'Topic does not exist');
          const subArn = `${arn}:${crypto.randomUUID()}`;
          topic.subscriptions.push({ arn: subArn, protocol: p.get('Protocol'), endpoint: p.get('Endpoint') });
          save();
          return reply(res, action, `<SubscriptionArn>${xmlEscape(subArn)}</SubscriptionArn>`);
        }
        case 'Publish': {
          const arn = p.get('TopicArn') || p.get('TargetArn');
          const id = publish(arn, p, '');
          if (!id) return error(res, 404, 'NotFound', 'Topic does not exist');
          return reply(res, action, `<MessageId>${id}</MessageId>`);
        }
        case 'PublishBatch': {
          const arn = p.get('TopicArn');
          if (!topics.has(arn)) return error(res, 404, 'NotFound', 'Topic does not exist');
          let members = '';
          for (let i = 1; p.has(`PublishBatchRequestEntries.member.${i}.Id`); i++) {
            const prefix = `PublishBatchRequestEntries.member.${i}.`;
            const id = publish(arn, p, prefix);
            members += `<member><Id>${xmlEscape(p.get(`${prefix}Id`))}</Id><MessageId>${id}</MessageId></member>`;
          }
          return reply(res, action, `<Successful>${members}</Successful><Failed></Failed>`);
        }
        default:
          return error(res, 400, 'InvalidAction', `Action ${action} is not supported by the local SNS`);
      }
    } catch (e) {
      error(res, 500, 'InternalError', String(e && e.message));
    }
  });
  return listenServer(server);
}

/**
 * Dynamic partitioning's MetadataExtraction query, the JQ subset `{name: .path.to.field, …}`.
 * Returns record → { name: value } or throws for anything else (refused at CreateDeliveryStream).
 */
function parsePartitionQuery(query) {
  const m = /^\s*\{(.*)\}\s*$/.exec(query || '');
  if (!m) throw new Error(`MetadataExtractionQuery ${query} is not supported by the local Firehose (only {key:.path,…})`);
  const parts = m[1].split(',').map((p) => {
    const kv = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/.exec(p);
    if (!kv) throw new Error(`MetadataExtractionQuery part ${p} is not supported by the local Firehose`);
    return [kv[1], kv[2].split('.')];
  });
  return (record) => {
    const doc = JSON.parse(record.toString('utf8'));
    const keys = {};
    for (const [name, path] of parts) {
      const v = path.reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), doc);
      if (v === null || v === undefined || typeof v === 'object') throw new Error(`partition key ${name} missing`);
      keys[name] = String(v);
    }
    return keys;
  };
}

/**
 * Expands Firehose's `!{timestamp:<pattern>}` (UTC) in an S3 prefix; `!{firehose:…}` as Firehose does;
 * `!{partitionKeyFromQuery:<name>}` from the record's extracted keys (dynamic partitioning).
 */
function expandPrefix(prefix, at, errorType, keys) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const fields = { yyyy: pad(at.getUTCFullYear(), 4), MM: pad(at.getUTCMonth() + 1), dd: pad(at.getUTCDate()), HH: pad(at.getUTCHours()), mm: pad(at.getUTCMinutes()), ss: pad(at.getUTCSeconds()) };
  const hasExpr = /!\{/.test(prefix);
  const out = prefix.replace(/!\{([A-Za-z]+):([^}]*)\}/g, (whole, ns, arg) => {
    if (ns === 'timestamp') return arg.replace(/yyyy|MM|dd|HH|mm|ss/g, (t) => fields[t]);
    if (ns === 'partitionKeyFromQuery' && keys && arg in keys) return keys[arg];
    if (ns === 'firehose' && arg === 'error-output-type') return errorType || 'processing-failed';
    if (ns === 'firehose' && arg === 'random-string') return crypto.randomBytes(6).toString('base64url').slice(0, 11);
    throw new Error(`unsupported prefix expression ${whole}`);
  });
  // A prefix without expressions gets Firehose's default time part (YYYY/MM/dd/HH/).
  return hasExpr ? out : `${out}${fields.yyyy}/${fields.MM}/${fields.dd}/${fields.HH}/`;
}

/** PUT one object to s3rver (path-style; s3rver accepts unsigned requests). */
function putS3Object(endpoint, bucket, key, body) {
  const url = new URL(`${endpoint.replace(/\/$/, '')}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`);
  return new Promise((ok, ko) => {
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': body.length, 'content-type': 'application/octet-stream' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? ok() : ko(new Error(`S3 PutObject ${bucket}/${key}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`))));
    });
    req.on('error', ko);
    req.end(body);
  });
}

/**
 * Minimal Firehose (AWS JSON 1.1). Every record's data is appended to
 * <dataDir>/firehose/<stream>.jsonl (what the tests read). A stream created with CreateDeliveryStream
 * and an (Extended)S3DestinationConfiguration (the stack does it from the resolved resources) also
 * delivers to the S3 emulator (opts.s3Endpoint): one object per PutRecord/PutRecordBatch call,
 * written before the call answers, records back to back as sent, under the expanded Prefix at the
 * call's arrival time (UTC), named `<stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid>`,
 * gzipped (.gz) with CompressionFormat GZIP. A failed S3 write fails the call (ServiceUnavailable),
 * so the caller retries: nothing is lost silently. Stream configs live in memory: the stack sends
 * them again on every start (a CreateDeliveryStream of an existing stream replaces its destination
 * and answers ResourceInUseException, which the stack reports as "existing").
 */
function startFirehose() {
  const dir = path.join(opts.dataDir, 'firehose');
  const streams = new Map(); // name → { arn, bucket, prefix, compression, version }
  const s3Endpoint = opts.s3Endpoint;
  const zlib = require('node:zlib');
  const deliver = async (name, datas, at) => {
    const stream = streams.get(name);
    if (!stream || !s3Endpoint || datas.length === 0) return;
    const p = (n, w = 2) => String(n).padStart(w, '0');
    const stamp = [p(at.getUTCFullYear(), 4), p(at.getUTCMonth() + 1), p(at.getUTCDate()), p(at.getUTCHours()), p(at.getUTCMinutes()), p(at.getUTCSeconds())].join('-');
    const gzip = stream.compression === 'GZIP';
    const put = (prefix, records) => {
      const key = `${prefix}${name}-${stream.version}-${stamp}-${crypto.randomUUID()}${gzip ? '.gz' : ''}`;
      const raw = Buffer.concat(records);
      return putS3Object(s3Endpoint, stream.bucket, key, gzip ? zlib.gzipSync(raw) : raw);
    };
    if (!stream.partition) return put(expandPrefix(stream.prefix, at), datas);
    // Dynamic partitioning: one object per partition per call; records whose keys cannot be
    // extracted go under ErrorOutputPrefix (processing-failed), as the service does.
    const groups = new Map();
    const failed = [];
    for (const d of datas) {
      let prefix;
      try {
        prefix = expandPrefix(stream.prefix, at, undefined, stream.partition(d));
      } catch {
        failed.push(d);
        continue;
      }
      if (!groups.has(prefix)) groups.set(prefix, []);
      groups.get(prefix).push(d);
    }
    for (const [prefix, records] of groups) await put(prefix, records);
    if (failed.length > 0) await put(expandPrefix(stream.errorPrefix || 'errors/', at, 'processing-failed'), failed);
  };
  const server = http.createServer(async (req, res) => {
    const send = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(obj));
    };
    try {
      const target = String(req.headers['x-amz-target'] || '').split('.').pop();
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
      const at = new Date();
      const put = async (records) => {
        const datas = records.map((r) => Buffer.from(r.Data || '', 'base64'));
        await deliver(body.DeliveryStreamName, datas, at);
        return datas.map((d) => {
          const id = crypto.randomUUID();
          appendJsonl(dir, body.DeliveryStreamName, { recordId: id, data: d.toString('utf8'), at: at.toISOString() });
          return id;
        });
      };
      switch (target) {
        case 'PutRecord':
          return send(200, { RecordId: (await put([body.Record || {}]))[0], Encrypted: false });
        case 'PutRecordBatch':
          return send(200, { FailedPutCount: 0, Encrypted: false, RequestResponses: (await put(body.Records || [])).map((id) => ({ RecordId: id })) });
        case 'CreateDeliveryStream': {
          const name = body.DeliveryStreamName;
          const arn = `arn:aws:firehose:${opts.region || 'us-east-1'}:${opts.accountId || '000000000000'}:deliverystream/${name}`;
          const dest = body.ExtendedS3DestinationConfiguration || body.S3DestinationConfiguration;
          if (dest) {
            const compression = dest.CompressionFormat || 'UNCOMPRESSED';
            if (!['UNCOMPRESSED', 'GZIP'].includes(compression)) {
              return send(400, { __type: 'InvalidArgumentException', message: `CompressionFormat ${compression} is not supported by the local Firehose` });
            }
            const bucket = String(dest.BucketARN || '').replace(/^arn:[^:]+:s3:::/, '');
            if (!bucket) return send(400, { __type: 'InvalidArgumentException', message: 'BucketARN is required' });
            let partition;
            if (dest.DynamicPartitioningConfiguration && dest.DynamicPartitioningConfiguration.Enabled) {
              const processors = (dest.ProcessingConfiguration && dest.ProcessingConfiguration.Processors) || [];
              const extraction = processors.find((p) => p.Type === 'MetadataExtraction');
              const query = extraction && (extraction.Parameters || []).find((p) => p.ParameterName === 'MetadataExtractionQuery');
              try {
                partition = parsePartitionQuery(query && query.ParameterValue);
              } catch (e) {
                return send(400, { __type: 'InvalidArgumentException', message: e.message });
              }
            }
            const existed = streams.has(name);
            streams.set(name, { arn, bucket, prefix: dest.Prefix || '', errorPrefix: dest.ErrorOutputPrefix || '', compression, version: 1, partition });
            if (existed) return send(400, { __type: 'ResourceInUseException', message: `Firehose ${name} under account ${opts.accountId || '000000000000'} already exists.` });
          }
          return send(200, { DeliveryStreamARN: arn });
        }
        case 'DescribeDeliveryStream':
          return send(200, { DeliveryStreamDescription: { DeliveryStreamName: body.DeliveryStreamName, DeliveryStreamStatus: 'ACTIVE' } });
        default:
          return send(400, { __type: 'InvalidArgumentException', message: `${target} is not supported by the local Firehose` });
      }
    } catch (e) {
      send(500, { __type: 'ServiceUnavailableException', message: String(e && e.message) });
    }
  });
  return listenServer(server);
}

async function main() {
  switch (kind) {
    case 'dynamodb': {
      const dynalite = require('dynalite');
      if (opts.path) fs.mkdirSync(opts.path, { recursive: true });
      const server = dynalite({ path: opts.path || undefined, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      return listenServer(server);
    }
    case 'kinesis': {
      const kinesalite = require('kinesalite');
      if (opts.path) fs.mkdirSync(opts.path, { recursive: true });
      const server = kinesalite({ path: opts.path || undefined, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
      return listenServer(server);
    }
    case 's3': {
      allowS3rverContinuationTokens();
      const S3rver = require('s3rver');
      fs.mkdirSync(opts.path, { recursive: true });
      const server = new S3rver({ port: opts.port || 0, address: host, directory: opts.path, silent: true, resetOnClose: false });
      const addr = await server.run();
      return addr.port;
    }
    case 'sqs':
      // Our own SQS (./sqs.cjs): sqslite has no visibility timeout, redrive or working DeleteMessageBatch.
      return require('./sqs.cjs').startSqs(opts, listenServer);
    case 'sns':
      return startSns();
    case 'firehose':
      return startFirehose();
    default:
      throw new Error(`unknown emulator ${kind}`);
  }
}

main().then(ready, fail);
