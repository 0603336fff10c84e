/**
 * Local SES v2 and End User Messaging SMS endpoints on one port (in-process, like the local SFN
 * endpoint: the behaviour they plan lives on the simulation's clock):
 *  - SES v2 SendEmail: REST-JSON `POST /v2/email/outbound-emails` → `{ MessageId }`; errors as
 *    `x-amzn-errortype` + `{ message }` (what @aws-sdk/client-sesv2 parses);
 *  - SMS SendTextMessage: AWS JSON 1.0, `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage` →
 *    `{ MessageId }`; errors as `{ __type, Message, Reason, Fields }`.
 * Malformed requests are refused like the services refuse them, so the senders' error mapping runs.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AcceptedEmail, AcceptedSms } from './formats';

export class ChannelRequestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface ChannelBackend {
  acceptEmail(m: Omit<AcceptedEmail, 'messageId' | 'sentAt'>): { messageId: string };
  acceptSms(m: Omit<AcceptedSms, 'messageId' | 'sentAt'>): { messageId: string };
}

export interface ChannelEndpoint {
  url: string;
  close(): Promise<void>;
}

const bad = (message: string) => new ChannelRequestError(400, 'BadRequestException', message);
const invalid = (field: string, message: string, reason = 'FIELD_VALIDATION_FAILED') =>
  new ChannelRequestError(400, 'ValidationException', message, { Reason: reason, Fields: [{ Name: field, Message: message }] });

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const EMAIL = /^(?:[^<>]*<)?([^\s@<>]+@[^\s@<>]+\.[A-Za-z0-9-]{2,})>?$/;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** SendEmail request → what the simulator needs; throws the error SES would return. */
export function parseSendEmail(body: unknown): Omit<AcceptedEmail, 'messageId' | 'sentAt'> {
  if (!isObj(body)) throw bad('Request body must be a JSON object');
  const dest = isObj(body.Destination) ? body.Destination : {};
  const to = [...(dest.ToAddresses ?? []), ...(dest.CcAddresses ?? []), ...(dest.BccAddresses ?? [])] as unknown[];
  if (to.length === 0) throw bad('Missing required field Destination');
  if (to.length > 50) throw bad('Recipient count exceeds 50');
  for (const a of to) if (typeof a !== 'string' || !EMAIL.test(a.trim())) throw bad('Illegal address');
  const from = body.FromEmailAddress;
  if (typeof from !== 'string' || !EMAIL.test(from.trim())) throw bad(from === undefined ? 'Missing required field FromEmailAddress' : 'Illegal address in FromEmailAddress');
  const content = body.Content;
  if (!isObj(content) || !(content.Simple || content.Raw || content.Template)) throw bad('Content must contain exactly one of Simple, Raw or Template');
  let subject = '';
  let texts: string[] = [];
  let unsubscribeUrl: string | undefined;
  if (content.Simple) {
    const s = content.Simple;
    if (!isObj(s.Subject) || typeof s.Subject.Data !== 'string') throw bad('Missing required field Subject');
    if (!isObj(s.Body) || !(isObj(s.Body.Text) || isObj(s.Body.Html))) throw bad('Missing required field Body');
    subject = s.Subject.Data;
    texts = [s.Body.Text?.Data, s.Body.Html?.Data].filter((x): x is string => typeof x === 'string');
    for (const h of (s.Headers ?? []) as unknown[]) {
      if (!isObj(h) || typeof h.Name !== 'string' || typeof h.Value !== 'string' || !/^[!-9;-~]+$/.test(h.Name)) throw bad('Invalid header');
      if (h.Name.toLowerCase() === 'list-unsubscribe') unsubscribeUrl = /<(https:[^>]+)>/.exec(h.Value)?.[1];
    }
  }
  const tags: Record<string, string> = {};
  for (const t of (body.EmailTags ?? []) as unknown[]) {
    if (!isObj(t) || typeof t.Name !== 'string' || typeof t.Value !== 'string') throw bad('Invalid tag');
    if (!TAG.test(t.Name) || !TAG.test(t.Value)) throw bad('Tag names and values may only contain ASCII letters, numbers, underscores and dashes');
    tags[t.Name] = t.Value;
  }
  if (body.ConfigurationSetName !== undefined && (typeof body.ConfigurationSetName !== 'string' || !TAG.test(body.ConfigurationSetName))) throw bad('Invalid ConfigurationSetName');
  const link = texts
    .flatMap((t) => t.match(/https:\/\/[^\s"'<>]+/g) ?? [])
    .find((u) => !unsubscribeUrl || !u.startsWith(unsubscribeUrl.split('?')[0]!));
  const lm = isObj(body.ListManagementOptions) && typeof body.ListManagementOptions.ContactListName === 'string' ? body.ListManagementOptions : undefined;
  return {
    from: from.trim(),
    to: to.map((a) => EMAIL.exec((a as string).trim())![1]!),
    subject,
    ...(typeof body.ConfigurationSetName === 'string' ? { configurationSet: body.ConfigurationSetName } : {}),
    tags,
    ...(link ? { link: link.replace(/&amp;/g, '&') } : {}),
    ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
    ...(lm ? { listManagement: { contactListName: lm.ContactListName, ...(typeof lm.TopicName === 'string' ? { topicName: lm.TopicName } : {}) } } : {}),
  };
}

/** SendTextMessage request → what the simulator needs; throws the error the service would return. */
export function parseSendText(body: unknown): Omit<AcceptedSms, 'messageId' | 'sentAt'> {
  if (!isObj(body)) throw invalid('Body', 'Request body must be a JSON object', 'CANNOT_PARSE');
  const to = body.DestinationPhoneNumber;
  if (typeof to !== 'string' || to === '') throw invalid('DestinationPhoneNumber', 'DestinationPhoneNumber is required', 'MISSING_PARAMETER');
  if (!E164.test(to)) throw invalid('DestinationPhoneNumber', 'Value must be a valid E.164 phone number');
  const text = body.MessageBody;
  if (typeof text !== 'string' || text.length === 0) throw invalid('MessageBody', 'MessageBody is required', 'MISSING_PARAMETER');
  if (text.length > 1600) throw invalid('MessageBody', 'Member must have length less than or equal to 1600');
  const type = body.MessageType ?? 'TRANSACTIONAL';
  if (type !== 'TRANSACTIONAL' && type !== 'PROMOTIONAL') throw invalid('MessageType', 'Member must satisfy enum value set: [TRANSACTIONAL, PROMOTIONAL]');
  const context: Record<string, string> = {};
  if (body.Context !== undefined) {
    if (!isObj(body.Context) || Object.keys(body.Context).length > 5) throw invalid('Context', 'Member must have at most 5 entries');
    for (const [k, v] of Object.entries(body.Context)) {
      if (typeof v !== 'string' || k.length > 100 || v.length > 800) throw invalid('Context', 'Context keys must be at most 100 and values at most 800 characters');
      context[k] = v;
    }
  }
  return {
    to,
    originationIdentity: typeof body.OriginationIdentity === 'string' && body.OriginationIdentity ? body.OriginationIdentity : '+18005550100',
    body: text,
    messageType: type,
    ...(typeof body.ConfigurationSetName === 'string' ? { configurationSet: body.ConfigurationSetName } : {}),
    context,
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((ok, ko) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', ko);
  });
}

export function startChannelEndpoint(backend: ChannelBackend, opts: { host?: string; port?: number } = {}): Promise<ChannelEndpoint> {
  const server = http.createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const json1 = target.startsWith('PinpointSMSVoiceV2.');
    const reply = (status: number, obj: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': json1 ? 'application/x-amz-json-1.0' : 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(JSON.stringify(obj));
    };
    const fail = (e: unknown) => {
      if (e instanceof ChannelRequestError) {
        if (json1) return reply(e.status, { __type: e.type, Message: e.message, ...e.extra });
        return reply(e.status, { message: e.message, ...e.extra }, { 'x-amzn-errortype': e.type });
      }
      const msg = String((e as Error)?.message ?? e);
      return json1 ? reply(500, { __type: 'InternalServerException', Message: msg }) : reply(500, { message: msg }, { 'x-amzn-errortype': 'InternalFailure' });
    };
    try {
      const raw = await readBody(req);
      if (json1) {
        if (req.method !== 'POST') throw new ChannelRequestError(400, 'UnknownOperationException', 'POST only');
        const op = target.slice('PinpointSMSVoiceV2.'.length);
        if (op !== 'SendTextMessage') throw new ChannelRequestError(400, 'UnknownOperationException', `${op} is not supported by the local End User Messaging SMS`);
        let body: unknown;
        try {
          body = JSON.parse(raw || '{}');
        } catch {
          throw invalid('Body', 'Request body is not JSON', 'CANNOT_PARSE');
        }
        return reply(200, { MessageId: backend.acceptSms(parseSendText(body)).messageId });
      }
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && path === '/v2/email/outbound-emails') {
        let body: unknown;
        try {
          body = JSON.parse(raw || '{}');
        } catch {
          throw bad('Request body is not JSON');
        }
        return reply(200, { MessageId: backend.acceptEmail(parseSendEmail(body)).messageId });
      }
      throw new ChannelRequestError(404, 'NotFoundException', `No route ${req.method} ${path} in the local SES/SMS stand-in`);
    } catch (e) {
      return fail(e);
    }
  });
  return new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.unref();
      const { port } = server.address() as AddressInfo;
      ok({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
