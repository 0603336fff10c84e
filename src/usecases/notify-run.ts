import type { Channel } from '../domain/portfolio/account';
import type { ObjectStore, Publisher } from '../ports';
import type { FetchResult } from './fetch-portfolio';
import { lakeKey, runSummaryRow } from './analytics/lake';
import { keys } from './keys';

export type ChunkResult =
  | {
      index: number;
      failed: false;
      scored: number;
      persisted: number;
      contacted: number;
      actions: Record<Channel, number>;
      suppressed: Record<string, number>;
    }
  | { index: number; key?: string; failed: true; error: string };

export type NotifyInput =
  | {
      kind: 'completed';
      runDate: string;
      fetch: FetchResult;
      chunkResults: ChunkResult[];
      executionStartTime: string;
      executionName?: string;
    }
  | {
      kind: 'failed';
      input: { runDate?: string; error?: { Error?: string; Cause?: string } } & Record<string, unknown>;
      executionStartTime: string;
      executionName?: string;
    };

export interface RunSummary {
  runDate: string;
  status: 'completed' | 'partial' | 'failed';
  executionName?: string;
  accounts: number;
  scored: number;
  rejected: number;
  contacted: number;
  actions: Record<Channel, number> & { total: number };
  suppressed: Record<string, number>;
  chunks: number;
  failedChunks: { index: number; error: string }[];
  rejectsKey?: string;
  manifestKey?: string;
  summaryKey: string;
  error?: { name: string; message: string };
  durationMs: number;
}

const CHANNELS: Channel[] = ['email', 'sms', 'voice'];

/** Lambda puts the error message inside Cause as JSON; surface the message only (never a stack). */
function errorMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

export function summarize(input: NotifyInput, now: Date): RunSummary {
  const durationMs = Math.max(0, now.getTime() - Date.parse(input.executionStartTime));
  const base = input.executionName ? { executionName: input.executionName } : {};
  if (input.kind === 'failed') {
    const runDate = input.input.runDate ?? input.executionStartTime.slice(0, 10);
    return {
      ...base,
      runDate,
      status: 'failed',
      accounts: 0,
      scored: 0,
      rejected: 0,
      contacted: 0,
      actions: { email: 0, sms: 0, voice: 0, total: 0 },
      suppressed: {},
      chunks: 0,
      failedChunks: [],
      summaryKey: keys.summary(runDate),
      error: { name: input.input.error?.Error ?? 'Unknown', message: errorMessage(input.input.error?.Cause) },
      durationMs,
    };
  }
  const actions = { email: 0, sms: 0, voice: 0, total: 0 };
  const suppressed: Record<string, number> = {};
  const failedChunks: { index: number; error: string }[] = [];
  let scored = 0;
  let contacted = 0;
  for (const r of input.chunkResults) {
    if (r.failed) {
      failedChunks.push({ index: r.index, error: r.error });
      continue;
    }
    scored += r.scored;
    contacted += r.contacted;
    for (const c of CHANNELS) actions[c] += r.actions[c] ?? 0;
    for (const [reason, n] of Object.entries(r.suppressed)) suppressed[reason] = (suppressed[reason] ?? 0) + n;
  }
  actions.total = actions.email + actions.sms + actions.voice;
  return {
    ...base,
    runDate: input.runDate,
    status: failedChunks.length > 0 ? 'partial' : 'completed',
    accounts: input.fetch.accounts,
    scored,
    rejected: input.fetch.rejected,
    contacted,
    actions,
    suppressed,
    chunks: input.fetch.chunks.length,
    failedChunks: failedChunks.sort((a, b) => a.index - b.index),
    rejectsKey: input.fetch.rejectsKey,
    manifestKey: keys.manifest(input.runDate),
    summaryKey: keys.summary(input.runDate),
    durationMs,
  };
}

function headline(s: RunSummary): string {
  if (s.status === 'failed') return `CurePath daily run ${s.runDate} FAILED: ${s.error?.name}`;
  const partial = s.status === 'partial' ? ` (${s.failedChunks.length} chunk(s) failed)` : '';
  return `CurePath daily run ${s.runDate}: ${s.actions.total} actions for ${s.accounts} accounts${partial}`;
}

/**
 * Writes the run summary and the export manifest (only parts of chunks that completed) to S3,
 * then publishes the summary to SNS. Returns the summary: it is the execution's output.
 */
export async function notifyRun(
  deps: { store: ObjectStore; publisher: Publisher; now?: () => Date },
  input: NotifyInput,
): Promise<RunSummary> {
  const summary = summarize(input, (deps.now ?? (() => new Date()))());
  const writes: Promise<void>[] = [deps.store.putText(summary.summaryKey, JSON.stringify(summary, null, 2), 'application/json')];
  if (input.kind === 'completed') {
    const done = input.chunkResults.filter((r) => !r.failed).map((r) => r.index).sort((a, b) => a - b);
    const manifest = {
      runDate: input.runDate,
      complete: summary.failedChunks.length === 0,
      parts: Object.fromEntries(
        (['voice', 'email', 'sms'] as const).map((c) => [c, done.map((i) => keys.export(input.runDate, c, i))]),
      ),
      actions: done.map((i) => keys.actions(input.runDate, i)),
      decisions: done.map((i) => keys.decisions(input.runDate, i)),
    };
    writes.push(deps.store.putText(summary.manifestKey!, JSON.stringify(manifest, null, 2), 'application/json'));
  }
  // The lake's copies (docs/analytics.md): one flat line per run, and the rejects where a Glue table can read them.
  writes.push(deps.store.putText(lakeKey('run_summaries', summary.runDate, 'summary'), `${JSON.stringify(runSummaryRow(summary))}\n`, 'application/x-ndjson'));
  if (summary.rejectsKey) {
    const rejectsKey = summary.rejectsKey;
    writes.push(
      deps.store.getText(rejectsKey).then(
        (csv) => deps.store.putText(`lake/rejects/dt=${summary.runDate}/rejects.csv`, csv, 'text/csv'),
        () => undefined, // no rejects file (a failed Fetch): nothing to copy
      ),
    );
  }
  await Promise.all(writes);
  await deps.publisher.publish(headline(summary), JSON.stringify(summary, null, 2));
  return summary;
}
