import { escapeHtml, fill, formatUsd, singleLine, TemplateError } from './format';
import { smsLength, toGsm7, type SmsEncoding } from './gsm';
import { PACKS, resolveLanguage, TEMPLATE_IDS, type Language, type TemplateId } from './templates';

/** Who sends, and where the consumer can pay or call: deployment configuration, not data. */
export interface Brand {
  senderName: string;
  /** CAN-SPAM: a valid physical postal address in every email. */
  postalAddress: string;
  paymentUrl: string;
  supportPhone: string;
  /**
   * Reg F §1006.18(e): a debt collector discloses it in every communication. A first-party
   * creditor collecting its own debt is not a "debt collector" under the FDCPA and may turn this
   * off; the default is on (docs/outreach.md).
   */
  debtCollectorDisclosure: boolean;
}

/** What a template needs from the work item. */
export interface MessageFacts {
  template: string;
  language: string;
  firstName: string;
  product: string;
  amountPastDueCents: number;
  daysPastDue: number;
}

export interface RenderedEmail {
  template: TemplateId;
  language: Language;
  subject: string;
  text: string;
  html: string;
}

export interface RenderedSms {
  template: TemplateId;
  language: Language;
  body: string;
  encoding: SmsEncoding;
  segments: number;
}

/** Texts are kept within two segments (306 GSM-7 characters). */
export const MAX_SMS_SEGMENTS = 2;
const MAX_NAME_EMAIL = 40;
const MAX_NAME_SMS = 20;

export const isTemplateId = (t: string): t is TemplateId => (TEMPLATE_IDS as readonly string[]).includes(t);

function templateOf(facts: MessageFacts): TemplateId {
  if (!isTemplateId(facts.template)) throw new TemplateError(`unknown template ${JSON.stringify(facts.template)}`);
  return facts.template;
}

function baseVars(facts: MessageFacts, brand: Brand, language: Language) {
  const pack = PACKS[language];
  return {
    amount: formatUsd(facts.amountPastDueCents),
    days: String(facts.daysPastDue),
    product: pack.products[facts.product] ?? pack.productFallback,
    paymentUrl: brand.paymentUrl,
    phone: brand.supportPhone,
    sender: singleLine(brand.senderName),
  };
}

const cleanName = (name: string, max: number) => {
  const n = singleLine(name);
  return n.length > 0 && n.length <= max ? n : '';
};

export function renderEmail(facts: MessageFacts, brand: Brand, unsubscribeUrl: string): RenderedEmail {
  const template = templateOf(facts);
  const language = resolveLanguage(facts.language);
  const pack = PACKS[language];
  const t = pack.email[template];
  const firstName = cleanName(facts.firstName, MAX_NAME_EMAIL);
  const vars = { ...baseVars(facts, brand, language), firstName };
  const greeting = firstName ? pack.greeting : pack.greetingNoName;

  const subject = singleLine(fill(t.subject, vars));
  const disclosure = brand.debtCollectorDisclosure ? [pack.debtCollectorEmail] : [];
  const signature = `${singleLine(brand.senderName)}, ${singleLine(brand.postalAddress)}`;

  const text = [
    fill(greeting, vars),
    ...t.paragraphs.map((p) => fill(p, vars)),
    '--',
    ...disclosure,
    `${pack.emailOptOut} ${unsubscribeUrl}`,
    signature,
  ].join('\n\n');

  const esc = escapeHtml;
  const link = (url: string) => `<a href="${esc(url)}">${esc(url)}</a>`;
  const raw = { paymentUrl: link(brand.paymentUrl) };
  const small = 'style="font-size:13px;color:#555"';
  const html = [
    `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222">',
    `<p>${fill(greeting, vars, esc)}</p>`,
    ...t.paragraphs.map((p) => `<p>${fill(p, vars, esc, raw)}</p>`),
    '<hr>',
    ...disclosure.map((d) => `<p ${small}>${esc(d)}</p>`),
    `<p ${small}>${esc(pack.emailOptOut)} ${link(unsubscribeUrl)}</p>`,
    `<p ${small}>${esc(signature)}</p>`,
    '</body></html>',
  ].join('\n');

  return { template, language, subject, text, html };
}

function composeSms(facts: MessageFacts, brand: Brand, language: Language, template: TemplateId, firstName: string): string {
  const pack = PACKS[language];
  const vars = { ...baseVars(facts, brand, language), firstName };
  const greeting = firstName ? pack.smsGreeting : pack.smsGreetingNoName;
  const disclosure = brand.debtCollectorDisclosure ? `${pack.debtCollectorSms} ` : '';
  return toGsm7(`${vars.sender}: ${fill(greeting, vars)}${fill(pack.sms[template], vars)} ${disclosure}${pack.smsOptOut}`);
}

/**
 * The text, folded to GSM-7 where a character has a GSM-7 form (á → a). When the result is
 * over two segments (a long name, or a name in a script GSM-7 lacks, which forces UCS-2), the
 * greeting drops the name; the template text itself always fits (tested at the limits of the
 * configuration).
 */
export function renderSms(facts: MessageFacts, brand: Brand): RenderedSms {
  const template = templateOf(facts);
  const language = resolveLanguage(facts.language);
  const name = cleanName(facts.firstName, MAX_NAME_SMS);
  for (const firstName of name ? [name, ''] : ['']) {
    const body = composeSms(facts, brand, language, template, firstName);
    const { encoding, segments } = smsLength(body);
    if (segments <= MAX_SMS_SEGMENTS) return { template, language, body, encoding, segments };
  }
  throw new TemplateError(`${template}/${language} SMS exceeds ${MAX_SMS_SEGMENTS} segments`);
}
