/** S3 key layout of a run (docs/architecture.md). One place, so every step agrees. */
const pad = (index: number) => String(index).padStart(5, '0');

export const keys = {
  portfolio: (runDate: string) => `inbox/portfolio/${runDate}.csv`,
  chunk: (runDate: string, index: number) => `runs/${runDate}/chunks/${pad(index)}.jsonl`,
  rejects: (runDate: string) => `runs/${runDate}/rejects.csv`,
  scores: (runDate: string, index: number) => `runs/${runDate}/scores/${pad(index)}.jsonl`,
  actions: (runDate: string, index: number) => `runs/${runDate}/actions/${pad(index)}.jsonl`,
  decisions: (runDate: string, index: number) => `runs/${runDate}/decisions/${pad(index)}.jsonl`,
  export: (runDate: string, channel: 'voice' | 'email' | 'sms', index: number) =>
    `exports/${runDate}/${channel}/${pad(index)}.${channel === 'voice' ? 'csv' : 'jsonl'}`,
  manifest: (runDate: string) => `exports/${runDate}/manifest.json`,
  summary: (runDate: string) => `runs/${runDate}/summary.json`,
};

export const toJsonl = (items: readonly unknown[]): string =>
  items.length === 0 ? '' : items.map((i) => JSON.stringify(i)).join('\n') + '\n';

export function parseJsonl<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) out.push(JSON.parse(line) as T);
  return out;
}
