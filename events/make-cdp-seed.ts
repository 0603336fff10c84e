/**
 * Regenerates the customer data stream's sample events and the core rows they read:
 *   npx tsx events/make-cdp-seed.ts
 * → events/seed/dynamodb/CoreTable.jsonl (3 customers, their cards and 30 days of transactions;
 *   written to the local core table by the Serverless plugin before `sls invoke local`),
 *   events/cdpExtract.json (two of customer 0's newest transactions as core-stream INSERTs) and
 *   events/cdpBackfill.json (the 3 customers' history before BEFORE).
 * Deterministic (fixed generator seed, fixed stream timestamps): re-running changes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreStreamEvent } from '../local/cdp';
import { coreItems } from '../src/adapters/cdp/dynamo-core';
import { generateTabFormer } from '../src/synthetic/tabformer/generator';

const GEN = { users: 3, seed: 7, days: 30, start: '2019-09-01' } as const;
/** History for the backfill; the sample stream changes are after it (as in `npm run cdp`). */
const BEFORE = '2019-09-25T00:00:00.000Z';
const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/curepath-dev-core/stream/2026-11-23T00:00:00.000';
const CREATED = 1795408555;
const here = __dirname;

const data = generateTabFormer(GEN);
const items = coreItems(data);
mkdirSync(join(here, 'seed', 'dynamodb'), { recursive: true });
writeFileSync(join(here, 'seed', 'dynamodb', 'CoreTable.jsonl'), items.map((i) => JSON.stringify(i)).join('\n') + '\n');

// Customer 0's two newest transactions on two different cards (after BEFORE): the extractor looks
// up both cards in the core for their tokens.
const newest = data.transactions.filter((t) => t.user === 0 && t.at >= BEFORE).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
const first = newest[0];
const second = newest.find((t) => t.card !== first?.card);
if (!first || !second) throw new Error('customer 0 has no two cards with transactions after BEFORE: change GEN');
const changes = [second, first].map((t) => coreItems({ users: [], cards: [], transactions: [t] })[0]!);
const extract = coreStreamEvent(changes, STREAM_ARN, 1);
for (const r of extract.Records) r.dynamodb.ApproximateCreationDateTime = CREATED;

const events: Record<string, unknown> = {
  cdpExtract: extract,
  cdpBackfill: { userIds: data.users.map((u) => u.user), before: BEFORE },
};
for (const [name, event] of Object.entries(events)) writeFileSync(join(here, `${name}.json`), JSON.stringify(event, null, 2) + '\n');
const history = data.transactions.filter((t) => t.at < BEFORE).length;
process.stderr.write(`wrote seed/dynamodb/CoreTable.jsonl (${items.length} items: ${data.users.length} customers, ${data.cards.length} cards, ${data.transactions.length} transactions; ${history} before ${BEFORE}) and ${Object.keys(events).join(', ')}\n`);
