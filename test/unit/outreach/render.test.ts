import { escapeHtml, fill, formatUsd, TemplateError } from '../../../src/domain/outreach/format';
import { isGsm7, smsLength, toGsm7 } from '../../../src/domain/outreach/gsm';
import { MAX_SMS_SEGMENTS, renderEmail, renderSms, type Brand, type MessageFacts } from '../../../src/domain/outreach/render';
import { LANGUAGES, PACKS, TEMPLATE_IDS } from '../../../src/domain/outreach/templates';
import { LIMITS } from '../../../src/usecases/outreach/config';

const brand: Brand = {
  senderName: 'Acme Lending',
  postalAddress: '100 Main St, Springfield, IL 62701',
  paymentUrl: 'https://pay.acme.example/p',
  supportPhone: '1-800-555-0100',
  debtCollectorDisclosure: true,
};
const UNSUB = 'https://acme.example/unsubscribe?token=abc.def';
const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  template: 'early-reminder',
  language: 'en',
  firstName: 'Ana',
  product: 'credit_card',
  amountPastDueCents: 123456,
  daysPastDue: 12,
  ...over,
});
// Every language we have, plus two that must fall back to English.
const LANGS = [...LANGUAGES, 'fr', 'EN'];

describe('formatting helpers', () => {
  it('formats money as US dollars', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(123456)).toBe('$1,234.56');
    expect(formatUsd(9_999_999_999)).toBe('$99,999,999.99');
  });
  it('escapes HTML and fails on unknown placeholders', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(() => fill('Hi {{nobody}}', {})).toThrow(TemplateError);
  });
  it('GSM-7: detects, folds Spanish accents that GSM lacks, keeps those it has', () => {
    expect(isGsm7('días')).toBe(false);
    expect(toGsm7('días crédito préstamo línea ¿sí? ¡ñ! “x” – …')).toBe('dias crédito préstamo linea ¿si? ¡ñ! "x" - ...');
    expect(isGsm7(toGsm7('Información sobre su préstamo'))).toBe(true);
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161)).segments).toBe(2);
    expect(smsLength('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('á'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsLength('á'.repeat(71)).segments).toBe(2);
    expect(smsLength('á'.repeat(135)).segments).toBe(3);
  });
});

describe.each(TEMPLATE_IDS)('template %s', (template) => {
  describe.each(LANGS)('language %s', (language) => {
    const expected = language === 'es' ? 'es' : 'en';
    const pack = PACKS[expected];

    it('email: subject, text and HTML with the figures, disclosure, opt-out sentence and link, sender address', () => {
      const r = renderEmail(facts({ template, language }), brand, UNSUB);
      expect(r.language).toBe(expected);
      expect(r.template).toBe(template);
      expect(r.subject).not.toMatch(/\{\{|\}\}|\n/);
      expect(r.subject).toContain(pack.products.credit_card);
      for (const body of [r.text, r.html]) {
        expect(body).not.toMatch(/\{\{|\}\}/);
        expect(body).toContain('$1,234.56');
        expect(body).toContain('12');
        expect(body).toContain(brand.paymentUrl);
        expect(body).toContain(brand.supportPhone);
        expect(body).toContain(UNSUB.replace('&', body === r.html ? '&amp;' : '&'));
        expect(body).toContain(body === r.html ? escapeHtml(pack.emailOptOut) : pack.emailOptOut);
        expect(body).toContain(body === r.html ? escapeHtml(pack.debtCollectorEmail) : pack.debtCollectorEmail);
        expect(body).toContain('Springfield');
      }
      expect(r.text).toContain(`${pack.emailOptOut} ${UNSUB}`);
      expect(r.html).toContain(`<a href="${UNSUB}">`);
      expect(r.html).toContain(`<html lang="${expected}">`);
      expect(r.text.startsWith(expected === 'es' ? 'Hola, Ana:' : 'Hi Ana,')).toBe(true);
    });

    it('SMS: sender prefix, figures, disclosure, ends with the STOP line, GSM-7 within 2 segments', () => {
      const r = renderSms(facts({ template, language }), brand);
      expect(r.language).toBe(expected);
      expect(r.body.startsWith('Acme Lending: ')).toBe(true);
      expect(r.body).toContain('$1,234.56');
      expect(r.body).toContain(brand.paymentUrl);
      expect(r.body).toContain(toGsm7(pack.debtCollectorSms));
      expect(r.body.endsWith(pack.smsOptOut)).toBe(true);
      expect(r.body).toMatch(/STOP/);
      expect(r.body).not.toMatch(/\{\{|\}\}/);
      expect(r.encoding).toBe('GSM-7');
      expect(r.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
      expect(smsLength(r.body)).toMatchObject({ encoding: r.encoding, segments: r.segments });
    });

    it('SMS at the configuration limits (longest sender, URL, phone, product, amount, name) stays within 2 segments', () => {
      const big: Brand = {
        ...brand,
        senderName: 'S'.repeat(LIMITS.senderName),
        paymentUrl: `https://${'p'.repeat(LIMITS.paymentUrl - 8)}`,
        supportPhone: '9'.repeat(LIMITS.supportPhone),
      };
      for (const product of ['credit_card', 'personal_loan', 'auto_loan', 'bnpl', 'something_new']) {
        const r = renderSms(facts({ template, language, product, firstName: 'Maximiliano-Ignacio', amountPastDueCents: 9_999_999_999, daysPastDue: 9999 }), big);
        expect(r.segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
        expect(r.body.endsWith(pack.smsOptOut)).toBe(true);
      }
    });
  });
});

describe('edge cases', () => {
  it('Spanish SMS: accents folded so the text stays GSM-7 (an accent would force UCS-2 and 3+ segments)', () => {
    const r = renderSms(facts({ language: 'es', template: 'final-notice', firstName: 'María' }), brand);
    expect(r.body).toContain('Hola Maria,');
    expect(r.body).toContain('dias de atraso');
    expect(r.encoding).toBe('GSM-7');
    // The same text without folding would be UCS-2 and longer than 2 segments.
    const unfolded = r.body.replace('dias', 'días');
    expect(smsLength(unfolded).encoding).toBe('UCS-2');
    expect(smsLength(unfolded).segments).toBeGreaterThan(MAX_SMS_SEGMENTS);
  });

  it('a name GSM-7 cannot carry is dropped from the SMS greeting rather than going to UCS-2 and 4 segments', () => {
    const r = renderSms(facts({ firstName: '小明', template: 'payment-plan-offer' }), brand);
    expect(r.body).not.toContain('小明');
    expect(r.body).toContain('Acme Lending: Hello, ');
    expect(r.encoding).toBe('GSM-7');
  });

  it('an empty or overlong name uses the greeting without a name', () => {
    expect(renderEmail(facts({ firstName: '  ' }), brand, UNSUB).text.startsWith('Hello,')).toBe(true);
    expect(renderSms(facts({ firstName: 'x'.repeat(21) }), brand).body).toContain(': Hello, ');
  });

  it('HTML-escapes the name in the HTML part and strips line breaks from the subject', () => {
    const r = renderEmail(facts({ firstName: '<script>alert("x")</script>' }), brand, UNSUB);
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const withBreaks = renderEmail(facts(), { ...brand, senderName: 'A\r\nBcc: evil@example.com' }, UNSUB);
    expect(withBreaks.text).not.toMatch(/\r|\nBcc/);
  });

  it('without the debt-collector disclosure (first-party creditor) the opt-out is still there', () => {
    const off = { ...brand, debtCollectorDisclosure: false };
    const e = renderEmail(facts(), off, UNSUB);
    expect(e.text).not.toContain('debt collector');
    expect(e.text).toContain(PACKS.en.emailOptOut);
    const s = renderSms(facts(), off);
    expect(s.body).not.toContain('debt collector');
    expect(s.body.endsWith('Reply STOP to opt out')).toBe(true);
  });

  it('an unknown template id is a TemplateError', () => {
    expect(() => renderEmail(facts({ template: 'threatening-letter' }), brand, UNSUB)).toThrow(TemplateError);
    expect(() => renderSms(facts({ template: 'threatening-letter' }), brand)).toThrow(TemplateError);
  });
});
