/**
 * Hand-written SVG charts (no library, nothing fetched at runtime). Every mark carries
 * `data-metric` / `data-value` so a test (or a screen reader's user) can read the figure drawn.
 */
export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);
export const int = (x: number) => x.toLocaleString('en-US');
export const usd = (x: number | null, digits = 2) => (x === null ? '—' : `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`);
const attr = (metric: string | undefined, value: number | string | null | undefined) =>
  metric ? ` data-metric="${esc(metric)}" data-value="${esc(value ?? '')}"` : '';

export interface Bar {
  label: string;
  value: number | null;
  color?: string;
  metric?: string;
  text?: string;
}

/** Horizontal bars, one per row, the value written at the bar's end. */
export function hbars(bars: Bar[], opts: { width?: number; max?: number; format?: (v: number | null) => string } = {}): string {
  const width = opts.width ?? 460;
  const row = 24;
  const labelW = 150;
  const max = opts.max ?? Math.max(1e-9, ...bars.map((b) => b.value ?? 0));
  const plotW = width - labelW - 110;
  const fmt = opts.format ?? ((v: number | null) => (v === null ? '—' : int(v)));
  const rows = bars.map((b, i) => {
    const w = Math.max(0, ((b.value ?? 0) / max) * plotW);
    const y = i * row;
    return `<g${attr(b.metric, b.value)}><text x="0" y="${y + 16}">${esc(b.label)}</text><rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" rx="2" fill="${b.color ?? '#2563eb'}"/><text x="${(labelW + w + 6).toFixed(1)}" y="${y + 16}" class="value">${esc(b.text ?? fmt(b.value))}</text></g>`;
  });
  // Natural size (never scaled up): labels stay at the page's text size in wide cards.
  return `<svg viewBox="0 0 ${width} ${bars.length * row + 4}" width="${width}" style="max-width:100%;height:auto" role="img">${rows.join('')}</svg>`;
}

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
  metric?: (i: number) => string;
}

/** Stacked columns per category (e.g. messages per day by channel), the total above each column. */
export function stackedColumns(categories: string[], series: Series[], opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 560;
  const height = opts.height ?? 220;
  const pad = { l: 40, r: 10, t: 18, b: 28 };
  const totals = categories.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotH = height - pad.t - pad.b;
  const colW = (width - pad.l - pad.r) / Math.max(1, categories.length);
  const parts: string[] = [`<line class="axis" x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}"/>`];
  for (const tick of [0, 0.5, 1]) {
    const y = height - pad.b - tick * plotH;
    parts.push(`<text x="${pad.l - 4}" y="${y + 4}" text-anchor="end">${int(Math.round(max * tick))}</text>`);
  }
  categories.forEach((c, i) => {
    let y = height - pad.b;
    const x = pad.l + i * colW + colW * 0.15;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(colW * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"${attr(s.metric?.(i), v)}><title>${esc(`${c} ${s.name}: ${v}`)}</title></rect>`);
    }
    parts.push(`<text x="${(x + colW * 0.35).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${int(totals[i]!)}</text>`);
    parts.push(`<text x="${(x + colW * 0.35).toFixed(1)}" y="${height - pad.b + 16}" text-anchor="middle">${esc(c.slice(5))}</text>`);
  });
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img">${parts.join('')}</svg>${legend(series)}`;
}

/** Lines over categories (rates over days), values in [0, max]. */
export function lines(categories: string[], series: Series[], opts: { width?: number; height?: number; format?: (v: number) => string } = {}): string {
  const width = opts.width ?? 560;
  const height = opts.height ?? 200;
  const pad = { l: 44, r: 28, t: 12, b: 28 };
  const fmt = opts.format ?? ((v: number) => pct(v, 0));
  const max = Math.max(0.01, ...series.flatMap((s) => s.values.map((v) => v ?? 0))) * 1.15;
  const plotH = height - pad.t - pad.b;
  const step = categories.length > 1 ? (width - pad.l - pad.r) / (categories.length - 1) : 0;
  const xy = (i: number, v: number) => [pad.l + i * step, height - pad.b - (v / max) * plotH] as const;
  const parts: string[] = [`<line class="axis" x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}"/>`];
  for (const tick of [0, 0.5, 1]) parts.push(`<text x="${pad.l - 4}" y="${height - pad.b - tick * plotH + 4}" text-anchor="end">${fmt(max * tick)}</text>`);
  categories.forEach((c, i) => parts.push(`<text x="${xy(i, 0)[0]}" y="${height - pad.b + 16}" text-anchor="middle">${esc(c.slice(5))}</text>`));
  for (const s of series) {
    const pts = s.values.map((v, i) => (v === null ? null : xy(i, v)));
    const d = pts.map((p, i) => (p ? `${i === 0 || !pts[i - 1] ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}` : '')).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    pts.forEach((p, i) => {
      if (p) parts.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3.5" fill="${s.color}"${attr(s.metric?.(i), s.values[i])}><title>${esc(`${categories[i]} ${s.name}: ${fmt(s.values[i]!)}`)}</title></circle>`);
    });
  }
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img">${parts.join('')}</svg>${legend(series)}`;
}

/** Point estimates with confidence intervals around a zero line (lift of learned over holdout). */
export function intervals(items: { label: string; value: number; lower: number; upper: number; metric: string; text: string }[], opts: { width?: number } = {}): string {
  const width = opts.width ?? 460;
  const row = 44;
  const labelW = 120;
  const bound = Math.max(0.05, ...items.flatMap((i) => [Math.abs(i.lower), Math.abs(i.upper)])) * 1.1;
  const plotW = width - labelW - 20;
  const x = (v: number) => labelW + ((v + bound) / (2 * bound)) * plotW;
  const parts = [`<line x1="${x(0)}" y1="0" x2="${x(0)}" y2="${items.length * row}" stroke="#9ca3af" stroke-dasharray="3 3"/>`];
  items.forEach((it, i) => {
    const y = i * row + 18;
    const color = it.lower > 0 ? '#16a34a' : it.upper < 0 ? '#dc2626' : '#6b7280';
    parts.push(
      `<g data-metric="${esc(it.metric)}" data-value="${it.value}" data-lower="${it.lower}" data-upper="${it.upper}"><text x="0" y="${y + 4}">${esc(it.label)}</text>` +
        `<line x1="${x(it.lower).toFixed(1)}" y1="${y}" x2="${x(it.upper).toFixed(1)}" y2="${y}" stroke="${color}" stroke-width="3"/>` +
        `<circle cx="${x(it.value).toFixed(1)}" cy="${y}" r="5" fill="${color}"/>` +
        `<text x="${x(0)}" y="${y + 20}" text-anchor="middle" class="value">${esc(it.text)}</text></g>`,
    );
  });
  return `<svg viewBox="0 0 ${width} ${items.length * row + 8}" width="${width}" style="max-width:100%;height:auto" role="img">${parts.join('')}</svg>`;
}

/** A value against a limit (caps headroom): the bar fills up to the value, a red tick marks the limit. */
export function gauge(label: string, value: number, limit: number, metric: string): string {
  const width = 300;
  const w = Math.min(1, value / limit) * (width - 20);
  const color = value > limit ? '#dc2626' : value === limit ? '#f59e0b' : '#16a34a';
  return `<svg viewBox="0 0 ${width} 58" width="${width}" style="max-width:100%;height:auto" role="img"${attr(metric, value)} data-limit="${limit}"><text x="0" y="12">${esc(label)}</text><rect x="0" y="20" width="${width - 20}" height="12" rx="3" fill="#e5e7eb"/><rect x="0" y="20" width="${w.toFixed(1)}" height="12" rx="3" fill="${color}"/><line x1="${width - 20}" y1="16" x2="${width - 20}" y2="36" stroke="#dc2626" stroke-width="2"/><text x="0" y="50" class="value">${value} of ${limit} · headroom ${limit - value}</text></svg>`;
}

export function legend(series: { name: string; color: string }[]): string {
  return `<div class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join('')}</div>`;
}
