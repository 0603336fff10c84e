/**
 * Local SQS (AWS query protocol, XML answers — what @aws-sdk/client-sqs speaks with the
 * query-protocol overrides of src/adapters/local-overrides.ts).
 *
 * Replaces sqslite 2.1.1, which cannot carry Lambda's semantics: received messages never become
 * visible again, one receipt handle is shared by a whole receive, DeleteMessageBatch keeps only
 * the listed messages (inverted filter), and there is no redrive and no long polling.
 *
 * Implemented like SQS: per-receive receipt handles, visibility timeouts (ReceiveMessage's
 * VisibilityTimeout, the queue attribute, ChangeMessageVisibility), RedrivePolicy (a message
 * whose receive count would exceed maxReceiveCount moves to the dead-letter queue on the next
 * receive), long polling (WaitTimeSeconds), DelaySeconds, message attributes, MD5s, and the
 * Approximate* counters. Local extension: time values may be fractional seconds, so tests can
 * scale a 30 s visibility timeout down. Standard queues only (FIFO ordering/dedup is not modelled).
 * Queue URLs are http://localhost:PORT/queues/<name>; ARNs arn:aws:sqs:<region>:<account>:<name>.
 */
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';
const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');
const esc = (s) => String(s).replace(/[<>&'"\r]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#xD;' })[c]);

class SqsError extends Error {
  constructor(code, message, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
const noQueue = () => new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');

/** MD5 of message attributes, the way SQS computes MD5OfMessageAttributes. */
function md5OfAttributes(attrs) {
  const names = Object.keys(attrs).sort();
  if (!names.length) return undefined;
  const parts = [];
  const len = (buf) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(buf.length);
    return b;
  };
  for (const name of names) {
    const a = attrs[name];
    const n = Buffer.from(name, 'utf8');
    const t = Buffer.from(a.DataType, 'utf8');
    parts.push(len(n), n, len(t), t);
    if (a.BinaryValue !== undefined) {
      const v = Buffer.from(a.BinaryValue, 'base64');
      parts.push(Buffer.from([2]), len(v), v);
    } else {
      const v = Buffer.from(a.StringValue ?? '', 'utf8');
      parts.push(Buffer.from([1]), len(v), v);
    }
  }
  return md5(Buffer.concat(parts));
}

function startSqs(opts, listenServer) {
  const region = opts.region || 'us-east-1';
  const account = opts.accountId || '000000000000';
  const queues = new Map(); // name → queue
  const waiters = new Set(); // long polls: () => void

  const arnOf = (name) => `arn:aws:sqs:${region}:${account}:${name}`;
  const urlOf = (host, name) => `http://${host}/queues/${name}`;
  const nameFromUrl = (url) => String(url || '').replace(/\/+$/, '').split('/').pop();
  const queueOf = (url) => {
    const q = queues.get(nameFromUrl(url));
    if (!q) throw noQueue();
    return q;
  };
  const seconds = (v, fallback) => (v === undefined || v === null || v === '' ? fallback : Number(v));
  const wake = () => {
    for (const w of [...waiters]) w();
  };

  function parseAttributes(p, prefix) {
    const out = {};
    for (let i = 1; p.has(`${prefix}.${i}.Name`); i++) out[p.get(`${prefix}.${i}.Name`)] = p.get(`${prefix}.${i}.Value`);
    return out;
  }
  function parseMessageAttributes(p, prefix) {
    const out = {};
    for (let i = 1; p.has(`${prefix}.${i}.Name`); i++) {
      const k = `${prefix}.${i}.Value.`;
      const a = { DataType: p.get(`${k}DataType`) };
      if (p.has(`${k}StringValue`)) a.StringValue = p.get(`${k}StringValue`);
      if (p.has(`${k}BinaryValue`)) a.BinaryValue = p.get(`${k}BinaryValue`);
      if (!a.DataType) throw new SqsError('InvalidParameterValue', `The message attribute '${p.get(`${prefix}.${i}.Name`)}' must contain a non-empty attribute type.`);
      out[p.get(`${prefix}.${i}.Name`)] = a;
    }
    return out;
  }
  const list = (p, prefix) => {
    const out = [];
    for (let i = 1; p.has(`${prefix}.${i}`); i++) out.push(p.get(`${prefix}.${i}`));
    return out;
  };

  function createQueue(name, attributes) {
    const existing = queues.get(name);
    if (existing) return existing;
    const now = Date.now();
    const q = {
      name,
      attributes: { VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600', MaximumMessageSize: '262144', ReceiveMessageWaitTimeSeconds: '0', ...attributes },
      created: now,
      modified: now,
      messages: [], // in arrival order
    };
    queues.set(name, q);
    return q;
  }

  function enqueue(q, body, messageAttributes, delaySeconds, extra = {}) {
    if (typeof body !== 'string' || body.length === 0) throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    const now = Date.now();
    const m = {
      id: extra.id || crypto.randomUUID(),
      body,
      messageAttributes,
      sentTimestamp: extra.sentTimestamp || now,
      senderId: extra.senderId || 'AIDAIENQZJOLO23YVJ4VO',
      receiveCount: 0,
      firstReceive: undefined,
      visibleAt: now + Math.max(0, seconds(delaySeconds, Number(q.attributes.DelaySeconds) || 0)) * 1000,
      delayed: seconds(delaySeconds, Number(q.attributes.DelaySeconds) || 0) > 0,
      receiptHandle: undefined,
      system: extra.system || {},
    };
    q.messages.push(m);
    wake();
    return m;
  }

  function redrive(q) {
    if (!q.attributes.RedrivePolicy) return undefined;
    try {
      const p = JSON.parse(q.attributes.RedrivePolicy);
      const dlq = queues.get(String(p.deadLetterTargetArn).split(':').pop());
      return dlq ? { dlq, max: Number(p.maxReceiveCount) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Messages visible now, after moving the ones past maxReceiveCount to the DLQ. */
  function receive(q, max, visibilitySeconds) {
    const now = Date.now();
    const rd = redrive(q);
    const out = [];
    for (const m of [...q.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (rd && m.receiveCount >= rd.max) {
        // SQS moves the message on the receive that would exceed maxReceiveCount.
        q.messages.splice(q.messages.indexOf(m), 1);
        enqueue(rd.dlq, m.body, m.messageAttributes, 0, { id: m.id, sentTimestamp: m.sentTimestamp, senderId: m.senderId, system: { ...m.system, DeadLetterQueueSourceArn: arnOf(q.name) } });
        continue;
      }
      m.receiveCount += 1;
      m.firstReceive ??= now;
      m.delayed = false;
      m.visibleAt = now + visibilitySeconds * 1000;
      m.receiptHandle = `${crypto.randomBytes(12).toString('base64url')}.${q.name}.${m.id}`;
      out.push(m);
    }
    return out;
  }

  const byHandle = (q, handle) => q.messages.find((m) => m.receiptHandle === handle);
  const checkHandle = (q, handle) => {
    if (!handle) throw new SqsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
    // SQS accepts a stale handle of a message that is already gone; a malformed one is an error.
    if (String(handle).split('.')[1] !== q.name) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  };
  function deleteByHandle(q, handle) {
    checkHandle(q, handle);
    const m = byHandle(q, handle);
    if (m) q.messages.splice(q.messages.indexOf(m), 1);
  }
  function changeVisibility(q, handle, timeout) {
    checkHandle(q, handle);
    const m = byHandle(q, handle);
    if (!m || m.visibleAt <= Date.now()) throw new SqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    m.visibleAt = Date.now() + Number(timeout) * 1000;
    wake();
  }

  function queueAttributes(q, names) {
    const now = Date.now();
    const visible = q.messages.filter((m) => m.visibleAt <= now).length;
    const delayed = q.messages.filter((m) => m.visibleAt > now && m.delayed).length;
    const inflight = q.messages.length - visible - delayed;
    const all = {
      ...q.attributes,
      QueueArn: arnOf(q.name),
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inflight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      CreatedTimestamp: String(Math.floor(q.created / 1000)),
      LastModifiedTimestamp: String(Math.floor(q.modified / 1000)),
    };
    const want = !names.length || names.includes('All') ? Object.keys(all) : names.filter((n) => n in all);
    return Object.fromEntries(want.map((n) => [n, all[n]]));
  }

  const attrXml = (attrs) => Object.entries(attrs).map(([k, v]) => `<Attribute><Name>${esc(k)}</Name><Value>${esc(v)}</Value></Attribute>`).join('');
  const msgAttrXml = (attrs) =>
    Object.entries(attrs)
      .map(
        ([k, a]) =>
          `<MessageAttribute><Name>${esc(k)}</Name><Value>` +
          (a.StringValue !== undefined ? `<StringValue>${esc(a.StringValue)}</StringValue>` : '') +
          (a.BinaryValue !== undefined ? `<BinaryValue>${esc(a.BinaryValue)}</BinaryValue>` : '') +
          `<DataType>${esc(a.DataType)}</DataType></Value></MessageAttribute>`,
      )
      .join('');

  function messageXml(m, attrNames, msgAttrNames) {
    const sys = {
      SenderId: m.senderId,
      SentTimestamp: String(m.sentTimestamp),
      ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: String(m.firstReceive),
      ...m.system,
    };
    const wantAll = attrNames.includes('All');
    const attrs = Object.fromEntries(Object.entries(sys).filter(([k]) => wantAll || attrNames.includes(k)));
    const allMsg = msgAttrNames.includes('All') || msgAttrNames.includes('.*');
    const mAttrs = Object.fromEntries(
      Object.entries(m.messageAttributes).filter(([k]) => allMsg || msgAttrNames.some((n) => n === k || (n.endsWith('.*') && k.startsWith(n.slice(0, -1))))),
    );
    const mAttrMd5 = md5OfAttributes(mAttrs);
    return (
      `<Message><MessageId>${m.id}</MessageId><ReceiptHandle>${esc(m.receiptHandle)}</ReceiptHandle><MD5OfBody>${md5(m.body)}</MD5OfBody>` +
      `<Body>${esc(m.body)}</Body>${attrXml(attrs)}` +
      (mAttrMd5 ? `<MD5OfMessageAttributes>${mAttrMd5}</MD5OfMessageAttributes>${msgAttrXml(mAttrs)}` : '') +
      `</Message>`
    );
  }

  const reply = (res, action, inner) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<?xml version="1.0"?><${action}Response xmlns="${NS}">${inner === null ? '' : `<${action}Result>${inner}</${action}Result>`}` +
        `<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    );
  };
  const error = (res, e) => {
    const status = e.status || 400;
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-query-error': `${e.code};${status >= 500 ? 'Receiver' : 'Sender'}` });
    res.end(
      `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${esc(e.code)}</Code>` +
        `<Message>${esc(e.message)}</Message><Detail/></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
    );
  };

  const batchEntries = (p, prefix) => {
    const out = [];
    for (let i = 1; p.has(`${prefix}.${i}.Id`); i++) out.push({ i, k: `${prefix}.${i}.`, id: p.get(`${prefix}.${i}.Id`) });
    if (!out.length) throw new SqsError('AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one entry in the request.');
    if (out.length > 10) throw new SqsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10.');
    return out;
  };
  const batchError = (id, e) => `<BatchResultErrorEntry><Id>${esc(id)}</Id><SenderFault>true</SenderFault><Code>${esc(e.code || 'InternalError')}</Code><Message>${esc(e.message)}</Message></BatchResultErrorEntry>`;

  async function handle(p, req, res) {
    const action = p.get('Action');
    const host = req.headers.host || `localhost:${server.address().port}`;
    switch (action) {
      case 'CreateQueue': {
        const name = p.get('QueueName');
        if (!name || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) throw new SqsError('InvalidParameterValue', `Invalid queue name ${name}`);
        createQueue(name, parseAttributes(p, 'Attribute'));
        return reply(res, action, `<QueueUrl>${esc(urlOf(host, name))}</QueueUrl>`);
      }
      case 'GetQueueUrl': {
        const name = p.get('QueueName');
        if (!queues.has(name)) throw noQueue();
        return reply(res, action, `<QueueUrl>${esc(urlOf(host, name))}</QueueUrl>`);
      }
      case 'ListQueues': {
        const prefix = p.get('QueueNamePrefix') || '';
        return reply(res, action, [...queues.keys()].filter((n) => n.startsWith(prefix)).map((n) => `<QueueUrl>${esc(urlOf(host, n))}</QueueUrl>`).join(''));
      }
      case 'DeleteQueue':
        queueOf(p.get('QueueUrl'));
        queues.delete(nameFromUrl(p.get('QueueUrl')));
        return reply(res, action, null);
      case 'PurgeQueue':
        queueOf(p.get('QueueUrl')).messages = [];
        return reply(res, action, null);
      case 'GetQueueAttributes':
        return reply(res, action, attrXml(queueAttributes(queueOf(p.get('QueueUrl')), list(p, 'AttributeName'))));
      case 'SetQueueAttributes': {
        const q = queueOf(p.get('QueueUrl'));
        Object.assign(q.attributes, parseAttributes(p, 'Attribute'));
        q.modified = Date.now();
        return reply(res, action, null);
      }
      case 'ListDeadLetterSourceQueues': {
        const target = arnOf(queueOf(p.get('QueueUrl')).name);
        const sources = [...queues.values()].filter((q) => {
          try {
            return JSON.parse(q.attributes.RedrivePolicy || '{}').deadLetterTargetArn === target;
          } catch {
            return false;
          }
        });
        return reply(res, action, sources.map((q) => `<QueueUrl>${esc(urlOf(host, q.name))}</QueueUrl>`).join(''));
      }
      case 'SendMessage': {
        const q = queueOf(p.get('QueueUrl'));
        const attrs = parseMessageAttributes(p, 'MessageAttribute');
        const m = enqueue(q, p.get('MessageBody'), attrs, p.get('DelaySeconds'));
        const am = md5OfAttributes(attrs);
        return reply(res, action, `<MD5OfMessageBody>${md5(m.body)}</MD5OfMessageBody>${am ? `<MD5OfMessageAttributes>${am}</MD5OfMessageAttributes>` : ''}<MessageId>${m.id}</MessageId>`);
      }
      case 'SendMessageBatch': {
        const q = queueOf(p.get('QueueUrl'));
        let ok = '';
        let failed = '';
        for (const e of batchEntries(p, 'SendMessageBatchRequestEntry')) {
          try {
            const attrs = parseMessageAttributes(p, `${e.k}MessageAttribute`);
            const m = enqueue(q, p.get(`${e.k}MessageBody`), attrs, p.get(`${e.k}DelaySeconds`));
            const am = md5OfAttributes(attrs);
            ok += `<SendMessageBatchResultEntry><Id>${esc(e.id)}</Id><MessageId>${m.id}</MessageId><MD5OfMessageBody>${md5(m.body)}</MD5OfMessageBody>${am ? `<MD5OfMessageAttributes>${am}</MD5OfMessageAttributes>` : ''}</SendMessageBatchResultEntry>`;
          } catch (err) {
            failed += batchError(e.id, err);
          }
        }
        return reply(res, action, ok + failed);
      }
      case 'ReceiveMessage': {
        const q = queueOf(p.get('QueueUrl'));
        const max = Number(p.get('MaxNumberOfMessages') || 1);
        if (!(max >= 1 && max <= 10)) throw new SqsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
        const visibility = seconds(p.get('VisibilityTimeout'), Number(q.attributes.VisibilityTimeout));
        const wait = Math.min(20, seconds(p.get('WaitTimeSeconds'), Number(q.attributes.ReceiveMessageWaitTimeSeconds) || 0));
        const attrNames = [...list(p, 'AttributeName'), ...list(p, 'MessageSystemAttributeName')];
        const msgAttrNames = list(p, 'MessageAttributeName');
        const deadline = Date.now() + wait * 1000;
        let got = receive(q, max, visibility);
        while (!got.length && Date.now() < deadline && !req.destroyed) {
          // Woken by a send/visibility change, or re-checked every 50 ms for timeouts expiring.
          await new Promise((ok) => {
            const done = () => {
              waiters.delete(done);
              clearTimeout(t);
              ok();
            };
            const t = setTimeout(done, Math.min(50, Math.max(1, deadline - Date.now())));
            waiters.add(done);
          });
          got = receive(q, max, visibility);
        }
        return reply(res, action, got.map((m) => messageXml(m, attrNames, msgAttrNames)).join(''));
      }
      case 'DeleteMessage':
        deleteByHandle(queueOf(p.get('QueueUrl')), p.get('ReceiptHandle'));
        return reply(res, action, null);
      case 'DeleteMessageBatch': {
        const q = queueOf(p.get('QueueUrl'));
        let ok = '';
        let failed = '';
        for (const e of batchEntries(p, 'DeleteMessageBatchRequestEntry')) {
          try {
            deleteByHandle(q, p.get(`${e.k}ReceiptHandle`));
            ok += `<DeleteMessageBatchResultEntry><Id>${esc(e.id)}</Id></DeleteMessageBatchResultEntry>`;
          } catch (err) {
            failed += batchError(e.id, err);
          }
        }
        return reply(res, action, ok + failed);
      }
      case 'ChangeMessageVisibility':
        changeVisibility(queueOf(p.get('QueueUrl')), p.get('ReceiptHandle'), p.get('VisibilityTimeout'));
        return reply(res, action, null);
      case 'ChangeMessageVisibilityBatch': {
        const q = queueOf(p.get('QueueUrl'));
        let ok = '';
        let failed = '';
        for (const e of batchEntries(p, 'ChangeMessageVisibilityBatchRequestEntry')) {
          try {
            changeVisibility(q, p.get(`${e.k}ReceiptHandle`), p.get(`${e.k}VisibilityTimeout`));
            ok += `<ChangeMessageVisibilityBatchResultEntry><Id>${esc(e.id)}</Id></ChangeMessageVisibilityBatchResultEntry>`;
          } catch (err) {
            failed += batchError(e.id, err);
          }
        }
        return reply(res, action, ok + failed);
      }
      default:
        throw new SqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url || '/', 'http://localhost');
      const p = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      for (const [k, v] of u.searchParams) if (!p.has(k)) p.set(k, v);
      // A request sent to the queue URL itself carries the queue in the path.
      if (!p.has('QueueUrl') && u.pathname.includes('/queues/')) p.set('QueueUrl', u.pathname);
      handle(p, req, res).catch((e) => error(res, e instanceof SqsError ? e : new SqsError('InternalError', String((e && e.message) || e), 500)));
    });
  });
  return listenServer(server, 'localhost');
}

module.exports = { startSqs, md5OfAttributes };
