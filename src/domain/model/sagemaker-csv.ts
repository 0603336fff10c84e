/**
 * Wire format of the SageMaker built-in XGBoost container: `text/csv` requests without header or
 * label, one row per line, an empty field for a missing value; responses as text/csv (comma- or
 * newline-separated), application/json or application/jsonlines.
 */
import { ModelInvocationError, ValidationError } from '../errors';

export const DEFAULT_MAX_PAYLOAD_BYTES = 4_500_000;

/** One number in the shortest text that parses back to the same double; NaN/±Infinity → missing. */
function cell(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

function checkShape(rows: ArrayLike<number>, nCols: number): number {
  if (!Number.isInteger(nCols) || nCols <= 0) throw new ValidationError(`nCols must be a positive integer, got ${nCols}`);
  if (rows.length % nCols !== 0) throw new ValidationError(`matrix length ${rows.length} is not a multiple of ${nCols}`);
  return rows.length / nCols;
}

/** One CSV line (no line break) for row `r`. */
export function encodeCsvRow(rows: ArrayLike<number>, nCols: number, r: number): string {
  let line = cell(rows[r * nCols]!);
  for (let j = 1; j < nCols; j++) line += ',' + cell(rows[r * nCols + j]!);
  return line;
}

/** Row-major matrix → CSV body, one row per '\n'-terminated line. */
export function encodeCsvRows(rows: ArrayLike<number>, nCols: number, start = 0, end?: number): string {
  const n = checkShape(rows, nCols);
  const stop = Math.min(end ?? n, n);
  const parts: string[] = [];
  for (let r = start; r < stop; r++) parts.push(encodeCsvRow(rows, nCols, r));
  return parts.length === 0 ? '' : parts.join('\n') + '\n';
}

export interface Payload {
  /** First row (inclusive) and last row (exclusive) of the matrix in this payload. */
  start: number;
  end: number;
  body: string;
  bytes: number;
}

/**
 * Split a matrix into CSV payloads of at most `maxBytes` UTF-8 bytes each (the endpoint rejects
 * larger bodies), in row order. A single row over the limit is an error rather than a silent drop.
 */
export function splitIntoPayloads(rows: ArrayLike<number>, nCols: number, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES): Payload[] {
  const n = checkShape(rows, nCols);
  const payloads: Payload[] = [];
  let lines: string[] = [];
  let bytes = 0;
  let start = 0;
  for (let r = 0; r < n; r++) {
    const line = encodeCsvRow(rows, nCols, r) + '\n';
    const size = line.length; // ASCII only: digits, signs, '.', 'e', ','
    if (size > maxBytes) throw new ModelInvocationError(`row ${r} is ${size} bytes, over the ${maxBytes}-byte payload limit`);
    if (bytes + size > maxBytes) {
      payloads.push({ start, end: r, body: lines.join(''), bytes });
      lines = [];
      bytes = 0;
      start = r;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length > 0) payloads.push({ start, end: n, body: lines.join(''), bytes });
  return payloads;
}

/** Parse a text/csv request body (no header) into a row-major matrix; blank field → NaN. */
export function parseCsvRows(body: string): { rows: Float64Array; nCols: number; nRows: number } {
  const lines = body.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) return { rows: new Float64Array(0), nCols: 0, nRows: 0 };
  const nCols = lines[0]!.split(',').length;
  const rows = new Float64Array(lines.length * nCols);
  for (let r = 0; r < lines.length; r++) {
    const cells = lines[r]!.split(',');
    if (cells.length !== nCols) throw new ValidationError(`CSV line ${r + 1} has ${cells.length} fields, expected ${nCols}`);
    for (let j = 0; j < nCols; j++) {
      const text = cells[j]!.trim();
      if (text === '' || /^(nan|null)$/i.test(text)) {
        rows[r * nCols + j] = NaN;
        continue;
      }
      const x = Number(text);
      if (Number.isNaN(x)) throw new ValidationError(`CSV line ${r + 1}, field ${j + 1} is not a number`);
      rows[r * nCols + j] = x;
    }
  }
  return { rows, nCols, nRows: lines.length };
}

function scoreOf(item: unknown, where: string): number {
  let x: unknown = item;
  if (typeof item === 'object' && item !== null) {
    if (Array.isArray(item)) x = item.length === 1 ? item[0] : undefined;
    else x = (item as Record<string, unknown>).score ?? (item as Record<string, unknown>).predicted_label;
  }
  if (typeof x === 'string' && x.trim() !== '') x = Number(x);
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelInvocationError(`unparseable prediction at ${where}`);
  return x;
}

/**
 * Predictions from an endpoint response. `text/csv` (default): values separated by commas and/or
 * newlines; `application/json`: {"predictions":[{"score":x}…]} (or a bare array);
 * `application/jsonlines`: one value, [x] or {"score":x} per line.
 */
export function parsePredictions(body: string, contentType = 'text/csv'): number[] {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = body.trim();
  if (text === '') return [];
  if (type === 'application/jsonlines' || type === 'application/x-jsonlines' || type === 'application/jsonl') {
    return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((line, i) => scoreOf(parseJson(line), `line ${i + 1}`));
  }
  if (type === 'application/json') {
    const doc = parseJson(text);
    const list = Array.isArray(doc) ? doc : (doc as Record<string, unknown> | null)?.predictions;
    if (!Array.isArray(list)) throw new ModelInvocationError('JSON response has no predictions array');
    return list.map((p, i) => scoreOf(p, `prediction ${i}`));
  }
  return text.split(/[,\r\n]+/).map((t, i) => scoreOf(t.trim(), `value ${i}`));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelInvocationError('endpoint returned invalid JSON', { cause: err });
  }
}
