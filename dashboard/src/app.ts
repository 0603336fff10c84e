/**
 * The collections dashboard: GET /analytics/operational and /analytics/strategic, drawn as charts a
 * manager reads at a glance. Config (`config.json` beside index.html): `apiBase` ('' = same origin,
 * the local dashboard server); in AWS the API's URL, and the Cognito token is taken from the
 * `#id_token=` fragment the hosted UI redirects with (kept in sessionStorage). docs/analytics.md.
 */
import type { Operational, Strategic } from '../../src/usecases/analytics/schemas';
import { esc, gauge, hbars, int, intervals, lines, pct, stackedColumns, usd } from './charts';

const COLORS = { email: '#2563eb', sms: '#16a34a', voice: '#9333ea' } as const;
const SEGMENT_ORDER = ['early_self_cure', 'early_high_risk', 'mid_stage', 'mid_high_balance', 'late_stage', 'pre_charge_off', 'not_contacted_day1'];

function token(): string | null {
  const m = /(?:^|[#&])id_token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('curepath-token', decodeURIComponent(m[1]!));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('curepath-token');
}

async function getJson<T>(url: string): Promise<T> {
  const t = token();
  const res = await fetch(url, { headers: t ? { authorization: `Bearer ${t}` } : {} });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const kpi = (label: string, value: string, metric: string, raw: number | null, cls = '') =>
  `<div class="kpi ${cls}" data-metric="${esc(metric)}" data-value="${esc(raw ?? '')}"><div class="v">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
const card = (w: string, title: string, body: string, id?: string) => `<section class="card ${w}"${id ? ` id="${id}"` : ''}><h3>${esc(title)}</h3>${body}</section>`;

function operational(o: Operational): string {
  const days = [...new Set(o.messagesByDay.map((m) => m.date))].sort();
  const on = (ch: string, d: string, k: 'sent' | 'planned') => o.messagesByDay.find((m) => m.date === d && m.channel === ch)?.[k] ?? 0;
  const series = [
    { name: 'Email sent', color: COLORS.email, values: days.map((d) => on('email', d, 'sent')), metric: (i: number) => `messagesByDay.${days[i]}.email` },
    { name: 'SMS sent', color: COLORS.sms, values: days.map((d) => on('sms', d, 'sent')), metric: (i: number) => `messagesByDay.${days[i]}.sms` },
    { name: 'Calls planned', color: COLORS.voice, values: days.map((d) => on('voice', d, 'planned')), metric: (i: number) => `messagesByDay.${days[i]}.voice` },
  ];
  const r = o.rates;
  const rates = hbars(
    [
      { label: 'Email delivered', value: r.email.delivered, color: COLORS.email, metric: 'rates.email.delivered' },
      { label: 'Email opened', value: r.email.open, color: COLORS.email, metric: 'rates.email.open' },
      { label: 'Email clicked', value: r.email.click, color: COLORS.email, metric: 'rates.email.click' },
      { label: 'SMS delivered', value: r.sms.delivered, color: COLORS.sms, metric: 'rates.sms.delivered' },
      { label: 'SMS replied', value: r.sms.reply, color: COLORS.sms, metric: 'rates.sms.reply' },
    ],
    { max: 1, format: (v) => pct(v) },
  );
  const negatives = hbars([
    { label: 'Opt-outs (email)', value: o.optOuts.email, color: COLORS.email, metric: 'optOuts.email' },
    { label: 'Opt-outs (SMS)', value: o.optOuts.sms, color: COLORS.sms, metric: 'optOuts.sms' },
    { label: 'Bounces, permanent', value: o.bounces.permanent, color: '#dc2626', metric: 'bounces.permanent' },
    { label: 'Bounces, transient', value: o.bounces.transient, color: '#f59e0b', metric: 'bounces.transient' },
    { label: 'Complaints', value: o.complaints.total, color: '#7f1d1d', metric: 'complaints.total' },
  ]);
  const latest = o.runs.at(-1);
  const runRows = o.runs
    .map((x) => `<tr><td>${esc(x.runDate)}</td><td class="status-${esc(x.status)}">${esc(x.status)}</td><td>${int(x.accounts)}</td><td>${int(x.rejected)}</td><td>${int(x.contacted)}</td><td>${int(x.actions.total)}</td><td>${x.failedChunks.length}</td></tr>`)
    .join('');
  const rejects = o.latestRun?.rejects ?? [];
  const latestBody = latest
    ? `<p data-metric="latestRun.runDate" data-value="${esc(latest.runDate)}">Latest run <b>${esc(latest.runDate)}</b>: <span class="status-${esc(latest.status)}" data-metric="latestRun.status" data-value="${esc(latest.status)}">${esc(latest.status)}</span>, ${int(latest.accounts)} accounts, <span data-metric="latestRun.rejected" data-value="${latest.rejected}">${int(latest.rejected)} rejected rows</span>, <span data-metric="latestRun.failedChunks" data-value="${latest.failedChunks.length}">${latest.failedChunks.length} failed chunks</span>${latest.failedChunks.map((c) => ` (chunk ${c.index}: ${esc(c.error)})`).join('')}.</p>
       <table><tr><th>Run</th><th>Status</th><th>Accounts</th><th>Rejected</th><th>Contacted</th><th>Actions</th><th>Failed chunks</th></tr>${runRows}</table>
       ${rejects.length ? `<h3 style="margin-top:10px">Rejected rows of ${esc(latest.runDate)} by reason</h3>${hbars(rejects.slice(0, 6).map((x) => ({ label: x.reason.length > 24 ? `${x.reason.slice(0, 23)}…` : x.reason, value: x.rows, color: '#9ca3af' })), { width: 460 })}` : ''}`
    : '<p>No run in this period.</p>';
  return [
    '<h2>Operations</h2>',
    `<div class="kpis">${[
      kpi('Emails sent', int(o.messages.email), 'messages.email', o.messages.email),
      kpi('Texts sent', int(o.messages.sms), 'messages.sms', o.messages.sms),
      kpi('Calls planned', int(o.messages.voicePlanned), 'messages.voicePlanned', o.messages.voicePlanned),
      kpi('Calls placed (dialer)', int(o.calls.placed), 'calls.placed', o.calls.placed),
      kpi('Right-party contacts', pct(o.calls.rightPartyContactRate), 'calls.rightPartyContactRate', o.calls.rightPartyContactRate),
      kpi(`Payments · ${usd(o.payments.amountCents / 100, 0)}`, int(o.payments.count), 'payments.count', o.payments.count),
      kpi('Cost per contact', usd(o.costs.perContactUsd, 3), 'costs.perContactUsd', o.costs.perContactUsd),
      kpi('Cost per cure', usd(o.costs.perCureUsd), 'costs.perCureUsd', o.costs.perCureUsd),
      kpi('Total cost', usd(o.costs.totalUsd), 'costs.totalUsd', o.costs.totalUsd),
    ].join('')}</div>`,
    card('w7', 'Messages by day and channel', stackedColumns(days, series)),
    card('w5', 'Delivery and engagement rates', rates),
    card('w5', 'Opt-outs, bounces, complaints', negatives),
    card('w7', 'Daily runs', latestBody, 'runs'),
  ].join('');
}

function strategic(s: Strategic): string {
  const segs = Object.keys(s.cureRateBySegment).sort((a, b) => (SEGMENT_ORDER.indexOf(a) + 99 * +(SEGMENT_ORDER.indexOf(a) < 0)) - (SEGMENT_ORDER.indexOf(b) + 99 * +(SEGMENT_ORDER.indexOf(b) < 0)));
  const cure = hbars(
    segs.map((k) => {
      const c = s.cureRateBySegment[k]!;
      return { label: k.replace(/_/g, ' '), value: c.rate, color: '#0d9488', metric: `cureRateBySegment.${k}`, text: `${pct(c.rate)} (${c.cured}/${c.accounts})` };
    }),
    { max: Math.max(0.05, ...segs.map((k) => s.cureRateBySegment[k]!.rate ?? 0)) },
  );
  const buckets = [...new Set(s.rollRates.flatMap((r) => [r.from, r.to]))].sort((a, b) => parseInt(a) - parseInt(b));
  const cell = (f: string, t: string) => s.rollRates.find((r) => r.from === f && r.to === t);
  const roll = `<table><tr><th>from ↓ to →</th>${buckets.map((b) => `<th>${esc(b)}</th>`).join('')}</tr>${buckets
    .filter((f) => s.rollRates.some((r) => r.from === f))
    .map(
      (f) =>
        `<tr><td>${esc(f)}</td>${buckets
          .map((t) => {
            const c = cell(f, t);
            const rate = c?.rate ?? 0;
            const hue = parseInt(t) < parseInt(f) || t.startsWith('0') ? '22,163,74' : t === f ? '107,114,128' : '220,38,38';
            return `<td style="background: rgba(${hue},${(0.1 + rate * 0.6).toFixed(2)})" data-metric="rollRates.${esc(f)}.${esc(t)}" data-value="${c?.accounts ?? 0}">${c ? pct(c.rate, 0) : ''}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('')}</table>`;
  const days = [...new Set(s.channelEffectiveness.map((e) => e.date))].sort();
  const eff = (['email', 'sms'] as const).map((ch) => ({
    name: ch === 'email' ? 'Email: clicked' : 'SMS: replied',
    color: COLORS[ch],
    values: days.map((d) => s.channelEffectiveness.find((e) => e.date === d && e.channel === ch)?.rate ?? null),
    metric: (i: number) => `channelEffectiveness.${days[i]}.${ch}`,
  }));
  const L = s.lift;
  const ci = (label: string, metric: string, e: Strategic['lift']['responseRate']) =>
    e
      ? [{ label, value: e.lift, lower: e.lower, upper: e.upper, metric, text: `${(e.lift * 100).toFixed(1)} pt (${(e.lower * 100).toFixed(1)} … ${(e.upper * 100).toFixed(1)}) · learned ${pct(e.learned.rate)} vs holdout ${pct(e.holdout.rate)}` }]
      : [];
  const liftItems = [...ci('Response rate', 'lift.responseRate', L.responseRate), ...ci('Cure rate', 'lift.cureRate', L.cureRate)];
  const lift = liftItems.length ? intervals(liftItems) : '<p>No holdout contacts in this period yet.</p>';
  const c = s.compliance;
  const rules = Object.entries(c.suppressedByRule).sort((a, b) => b[1] - a[1]);
  const lat = c.optOutLatencySeconds;
  const mins = (v: number | null) => (v === null ? '—' : v < 120 ? `${v.toFixed(0)} s` : `${(v / 60).toFixed(0)} min`);
  const complianceKpis = `<div class="kpis" style="grid-template-columns: repeat(3, 1fr)">
      ${kpi('Violations', String(c.totalViolations), 'compliance.totalViolations', c.totalViolations, c.totalViolations === 0 ? 'good' : 'bad')}
      ${kpi('Opt-out honoured p50', mins(lat.p50), 'compliance.optOutLatency.p50', lat.p50)}
      ${kpi('Opt-out honoured p99', mins(lat.p99), 'compliance.optOutLatency.p99', lat.p99)}
    </div>
    <table style="margin-top:8px">${Object.entries(c.violations).map(([k, v]) => `<tr><td>${esc(k.replace(/([A-Z])/g, ' $1').toLowerCase())}</td><td data-metric="compliance.violations.${esc(k)}" data-value="${v}" class="${v ? 'status-failed' : 'status-completed'}">${v}</td></tr>`).join('')}</table>`;
  const caps = `${gauge('Reg F: most calls to one account, 7 days', c.caps.regF.maxIn7Days, c.caps.regF.limit, 'compliance.caps.regF')}
    ${gauge('Massachusetts: most calls + texts, 7 days', c.caps.stateMA.maxIn7Days, c.caps.stateMA.limit, 'compliance.caps.stateMA')}
    <p style="color:var(--muted);font-size:12px">Accounts at the Reg F cap: ${c.caps.regF.accountsAtCap}; at the MA cap: ${c.caps.stateMA.accountsAtCap}.</p>`;
  const suppressed = hbars(rules.map(([k, v]) => ({ label: k.replace(/_/g, ' '), value: v, color: '#64748b', metric: `compliance.suppressedByRule.${k}` })));
  return [
    '<h2>Strategy</h2>',
    card('w6', 'Cure rate by segment', cure, 'cure'),
    card('w6', 'Champion (learned) vs challenger (holdout): lift, 95% CI', lift, 'lift'),
    card('w6', 'Channel effectiveness: responders per account contacted', lines(days, eff)),
    card('w6', 'Roll rates between delinquency buckets (days past due)', roll),
    '<h2>Compliance</h2>',
    card('w4', 'Violations (must be 0) and opt-out latency', complianceKpis, 'compliance'),
    card('w4', 'Headroom under the caps', caps),
    card('w4', 'Contacts suppressed by rule', suppressed),
  ].join('');
}

async function main(): Promise<void> {
  const app = document.getElementById('app')!;
  const form = document.getElementById('period') as HTMLFormElement;
  const params = new URLSearchParams(location.search);
  try {
    type Config = { apiBase?: string };
    const config: Config = await fetch('config.json').then((r) => (r.ok ? (r.json() as Promise<Config>) : {})).catch(() => ({}));
    const base = (config.apiBase ?? '').replace(/\/$/, '');
    const qs = new URLSearchParams();
    for (const k of ['from', 'to']) if (params.get(k)) qs.set(k, params.get(k)!);
    const q = qs.toString() ? `?${qs}` : '';
    const [o, s] = await Promise.all([getJson<Operational>(`${base}/analytics/operational${q}`), getJson<Strategic>(`${base}/analytics/strategic${q}`)]);
    (form.elements.namedItem('from') as HTMLInputElement).value = o.period.from;
    (form.elements.namedItem('to') as HTMLInputElement).value = o.period.to;
    document.getElementById('period-label')!.textContent = `${o.period.from} → ${o.period.to}`;
    app.innerHTML = operational(o) + strategic(s);
    app.dataset.ready = 'true';
  } catch (err) {
    app.innerHTML = `<p class="error">Could not load the figures: ${esc(err instanceof Error ? err.message : String(err))}</p>`;
    app.dataset.ready = 'error';
  }
}

void main();
