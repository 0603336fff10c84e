/**
 * `npm run cdp` at the model card's own threshold: the streamed part of a small generated set holds
 * fraud the model catches, and the live path turns it into alert e-mails (no ALERT_THRESHOLD
 * override). Seed 9, 30 customers, 30 days: 1,824 transactions, the newest 15 % streamed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCdp, type CdpSummary } from '../../local/cdp';
import type { LakeTransaction } from '../../src/domain/cdp/records';
import { FRAUD_ALERT_THRESHOLD } from '../../src/domain/fraud/model';

describe('npm run cdp at the default threshold', () => {
  let out: string;
  let summary: CdpSummary;
  let lake: LakeTransaction[];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'curepath-cdp-alerts-'));
    summary = await runCdp({ users: 30, days: 30, seed: 9, out, liveShare: 0.15, verbose: false }); // 30 customers: few fraud episodes; the newest 15 % holds one
    lake = [];
    const root = join(out, 'lake', 'transactions');
    for (const part of readdirSync(root)) {
      for (const f of readdirSync(join(root, part))) {
        const body = readFileSync(join(root, part, f));
        const text = (f.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8');
        for (const l of text.split('\n')) if (l.trim()) lake.push(JSON.parse(l) as LakeTransaction);
      }
    }
  }, 180_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('alerts on streamed fraud the model catches, with the model card threshold', () => {
    expect(summary.alertThreshold).toBe(FRAUD_ALERT_THRESHOLD);
    expect(summary.streamed).toBeGreaterThan(0);
    const caughtLive = lake.filter((r) => r.source === 'stream' && r.isFraud && r.score >= FRAUD_ALERT_THRESHOLD);
    expect(caughtLive.length).toBeGreaterThan(0);
    expect(summary.alerts).toBeGreaterThan(0);
    // One alert per card and hour at most: never more e-mails than flagged live transactions.
    const flaggedLive = lake.filter((r) => r.source === 'stream' && r.score >= FRAUD_ALERT_THRESHOLD);
    expect(summary.alerts).toBeLessThanOrEqual(new Set(flaggedLive.map((r) => r.txnId)).size);
    // History is never alerted on.
    expect(lake.filter((r) => r.source === 'backfill').length).toBe(summary.backfilled);
  });
});
