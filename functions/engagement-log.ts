import type { BatchResult } from '../src/usecases/engagement';
import { logger } from '../src/logger';

/** Batch summary + one line per failed record (ids, kinds and reasons only: no addresses, no bodies). */
export function logBatch(transport: 'sqs' | 'kinesis', received: number, result: BatchResult): void {
  for (const f of result.failures) {
    if (f.kind === 'poison') logger.error('poison record: it will fail every retry and end in the failure destination', { transport, recordId: f.id, reason: f.reason });
    else logger.warn('record failed, will be retried', { transport, recordId: f.id, kind: f.kind, reason: f.reason });
  }
  const by = (k: string) => result.outcomes.filter((o) => o.status === k).length;
  logger.info('engagement batch', {
    transport,
    received,
    events: result.outcomes.length,
    applied: by('applied'),
    duplicate: by('duplicate'),
    unattributed: by('unattributed'),
    suppressed: result.outcomes.filter((o) => o.suppressed).length,
    confirmations: result.outcomes.filter((o) => o.confirmationRequested).length,
    ignored: result.ignored,
    archived: result.archived,
    failed: result.failures.length,
    skipped: result.skipped,
  });
}
