/** $1,234.56 — US dollars the way US consumers read them, in English and in Spanish. */
export function formatUsd(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${dollars}.${(abs % 100).toString().padStart(2, '0')}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Control characters and line breaks out of a value that lands in a subject or SMS line. */
export const singleLine = (s: string) => s.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** `{{name}}` substitution; an unknown placeholder is a bug in a template, not a blank. */
export function fill(
  template: string,
  vars: Readonly<Record<string, string>>,
  escape: (s: string) => string = (s) => s,
  /** Values that are already markup (a link we built), inserted as they are. */
  raw: Readonly<Record<string, string>> = {},
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const r = raw[name];
    if (r !== undefined) return r;
    const v = vars[name];
    if (v === undefined) throw new TemplateError(`unknown placeholder {{${name}}}`);
    return escape(v);
  });
}
