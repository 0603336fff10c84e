import { PortfolioFileError } from '../errors';

/**
 * A streaming RFC 4180 record splitter, written for the portfolio file rather than taken from
 * csv-parse so that we control three things the contract needs: the file line a record starts
 * on (multi-line quoted fields included), turning a malformed row into a per-row reject instead
 * of a fatal parse error, and a hard cap on record size so memory stays flat even when a stray
 * quote swallows the rest of the file.
 *
 * Fast path: a line without a quote character is split on commas. Only lines with quotes go
 * through the character-level parser.
 */

export interface RawRecord {
  /** 1-based line of the file on which the record starts. */
  line: number;
  fields: string[];
  /** Set when the quoting is malformed; the record is still delimited, but its fields are not trustworthy. */
  malformed?: { field: number; message: string };
}

/** Longest record we accept before concluding the file is broken (e.g. an unterminated quote). */
export const MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Splits text chunks into records. Call `push` for each chunk, then `end` once. */
export class CsvRecordSplitter {
  private buf = '';
  private line = 1;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  /** Adds text and returns the records completed by it. */
  push(text: string): RawRecord[] {
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    return this.drain(false);
  }

  /** Signals end of input and returns the last records (a final line without newline included). */
  end(): RawRecord[] {
    const out = this.drain(true);
    this.buf = '';
    return out;
  }

  private drain(final: boolean): RawRecord[] {
    const out: RawRecord[] = [];
    const buf = this.buf;
    const len = buf.length;
    let pos = 0;
    // Position of the next quote at or after pos (len when none): found once, not per line,
    // or a quote-free buffer would be rescanned for every line.
    let quote = -1;
    while (pos < len) {
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = len;
      }
      if (quote < pos) {
        quote = buf.indexOf('"', pos);
        if (quote === -1) quote = len;
      }
      if (quote >= nl) {
        // Fast path: no quote on this line.
        let end = nl;
        if (end > pos && buf.charCodeAt(end - 1) === CR) end--;
        const text = buf.slice(pos, end);
        if (!isBlank(text)) out.push({ line: this.line, fields: text.split(',') });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const parsed = this.parseQuoted(buf, pos, final);
      if (parsed === null) break; // need more input
      out.push(parsed.record);
      this.line += parsed.newlines;
      pos = parsed.next;
    }
    this.buf = pos >= len ? '' : buf.slice(pos);
    if (this.buf.length > this.maxRecordChars) {
      throw new PortfolioFileError(
        `row ${this.line}: record longer than ${this.maxRecordChars} characters (unterminated quoted field?)`,
      );
    }
    return out;
  }

  /**
   * Character-level parse of one record starting at `start`. Returns null when the record is
   * not complete in `buf` yet (only possible when !final).
   */
  private parseQuoted(
    buf: string,
    start: number,
    final: boolean,
  ): { record: RawRecord; next: number; newlines: number } | null {
    const len = buf.length;
    const fields: string[] = [];
    let malformed: RawRecord['malformed'];
    let i = start;
    for (;;) {
      const fieldIndex = fields.length;
      // Whitespace before an opening quote is tolerated (values are trimmed anyway).
      let j = i;
      while (j < len && (buf.charCodeAt(j) === SPACE || buf.charCodeAt(j) === TAB)) j++;
      let value: string;
      if (j < len && buf.charCodeAt(j) === QUOTE) {
        let k = j + 1;
        let segStart = k;
        value = '';
        for (;;) {
          const q = buf.indexOf('"', k);
          if (q === -1) {
            if (!final) return null;
            throw new PortfolioFileError(
              `row ${this.line}: unterminated quoted field (the rest of the file would be one value)`,
            );
          }
          if (q + 1 >= len && !final) return null; // cannot tell "" from a closing quote yet
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(segStart, q + 1);
            k = q + 2;
            segStart = k;
            continue;
          }
          value += buf.slice(segStart, q);
          i = q + 1;
          break;
        }
        // After the closing quote only whitespace may come before the delimiter.
        while (i < len && (buf.charCodeAt(i) === SPACE || buf.charCodeAt(i) === TAB)) i++;
        if (i < len && buf.charCodeAt(i) === CR) {
          if (i + 1 >= len && !final) return null;
          if (i + 1 >= len || buf.charCodeAt(i + 1) === LF) i++; // CRLF (or CR at end of input)
        }
        if (i < len && buf.charCodeAt(i) !== COMMA && buf.charCodeAt(i) !== LF) {
          // Keep scanning to the delimiter so the following rows stay aligned.
          const stop = nextDelimiter(buf, i);
          if (stop === -1 && !final) return null;
          const to = stop === -1 ? len : stop;
          value += buf.slice(i, to);
          i = to;
          malformed ??= { field: fieldIndex, message: 'text after a closing quote' };
        }
      } else {
        const stop = nextDelimiter(buf, i);
        if (stop === -1 && !final) return null;
        const to = stop === -1 ? len : stop;
        value = buf.slice(i, to);
        if (to < len && value.length > 0 && value.charCodeAt(value.length - 1) === CR) value = value.slice(0, -1);
        if (value.indexOf('"') !== -1) malformed ??= { field: fieldIndex, message: 'quote in an unquoted field' };
        i = to;
      }
      fields.push(value);
      if (i >= len) {
        if (!final) return null;
        return this.finish(buf, start, len, fields, malformed);
      }
      if (buf.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      return this.finish(buf, start, i + 1, fields, malformed); // at LF
    }
  }

  private finish(
    buf: string,
    start: number,
    next: number,
    fields: string[],
    malformed: RawRecord['malformed'],
  ): { record: RawRecord; next: number; newlines: number } {
    let newlines = 0;
    for (let p = buf.indexOf('\n', start); p !== -1 && p < next; p = buf.indexOf('\n', p + 1)) newlines++;
    // A last record without a trailing newline still occupies its line.
    if (buf.charCodeAt(next - 1) !== LF) newlines++;
    const record: RawRecord = { line: this.line, fields };
    if (malformed) record.malformed = malformed;
    return { record, next, newlines };
  }
}

/** Index of the next comma or LF at or after `from`, or -1. */
function nextDelimiter(buf: string, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === COMMA || c === LF) return i;
  }
  return -1;
}

function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

/**
 * Decodes a byte (or text) stream as UTF-8 CSV and yields its records in batches as they complete:
 * a leading BOM is dropped; invalid UTF-8 or NUL bytes end it with `fail(message)`, thrown.
 * `what` names the file in those messages ("portfolio file", "dialer results file").
 */
export async function* csvRecordBatches(
  source: AsyncIterable<Uint8Array | string>,
  what: string,
  fail: (message: string, cause?: unknown) => Error,
): AsyncGenerator<RawRecord[]> {
  const splitter = new CsvRecordSplitter();
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let first = true;
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      decoder ??= new TextDecoder('utf-8', { fatal: true }); // strips a leading BOM
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (error) {
        throw fail(`${what} is not valid UTF-8 text`, error);
      }
    }
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM in a string source
      first = text.length === 0;
    }
    if (text.indexOf('\0') !== -1) throw fail(`${what} is not text (it contains NUL bytes)`);
    yield splitter.push(text);
  }
  if (decoder) {
    try {
      const rest = decoder.decode();
      if (rest.length > 0) yield splitter.push(rest);
    } catch (error) {
      throw fail(`${what} is not valid UTF-8 text`, error);
    }
  }
  yield splitter.end();
}
