import { ModelInvocationError, ValidationError } from '../../../src/domain/errors';
import { encodeCsvRows, parseCsvRows, parsePredictions, splitIntoPayloads } from '../../../src/domain/model/sagemaker-csv';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]) || (a[i] === 0 && b[i] === 0)).toBe(true);
};

describe('SageMaker text/csv rows', () => {
  const rows = new Float64Array([0.1 + 0.2, NaN, 1e-7, -3, 123456789.123, 5e300, 0, NaN, 2 / 3, -0.000001]);

  it('encodes without header, one row per line, empty field for missing', () => {
    const body = encodeCsvRows(rows, 5);
    expect(body).toBe('0.30000000000000004,,1e-7,-3,123456789.123\n5e+300,0,,0.6666666666666666,-0.000001\n');
    expect(encodeCsvRows(new Float64Array([Infinity, 1]), 2)).toBe(',1\n');
    expect(encodeCsvRows(new Float64Array(0), 3)).toBe('');
    expect(() => encodeCsvRows(rows, 3)).toThrow(ValidationError);
  });

  it('round-trips exactly through parseCsvRows (blank → NaN)', () => {
    const parsed = parseCsvRows(encodeCsvRows(rows, 5));
    expect(parsed.nCols).toBe(5);
    expect(parsed.nRows).toBe(2);
    same(parsed.rows, rows);
    const random = Float64Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? NaN : (Math.sin(i) * 10 ** (i % 12)) / 3));
    same(parseCsvRows(encodeCsvRows(random, 30)).rows, random);
  });

  it('parses CRLF, a missing trailing newline and rejects ragged or non-numeric rows', () => {
    same(parseCsvRows('1,,3\r\n4,5,\r\n').rows, [1, NaN, 3, 4, 5, NaN]);
    same(parseCsvRows('1,2\n3,4').rows, [1, 2, 3, 4]);
    expect(parseCsvRows('').nRows).toBe(0);
    expect(() => parseCsvRows('1,2\n3\n')).toThrow(ValidationError);
    expect(() => parseCsvRows('1,abc\n')).toThrow(ValidationError);
  });

  it('splits into payloads under the byte limit that cover every row once, in order', () => {
    const nCols = 18;
    const n = 5000;
    const m = Float64Array.from({ length: n * nCols }, (_, i) => (i % 11 === 0 ? NaN : Math.cos(i) * 1000));
    const limit = 50_000;
    const payloads = splitIntoPayloads(m, nCols, limit);
    expect(payloads.length).toBeGreaterThan(1);
    let next = 0;
    for (const p of payloads) {
      expect(p.start).toBe(next);
      expect(p.end).toBeGreaterThan(p.start);
      expect(Buffer.byteLength(p.body)).toBe(p.bytes);
      expect(p.bytes).toBeLessThanOrEqual(limit);
      expect(p.body).toBe(encodeCsvRows(m, nCols, p.start, p.end));
      next = p.end;
    }
    expect(next).toBe(n);
    expect(splitIntoPayloads(m, nCols)).toHaveLength(1); // 4.5 MB default holds it all
    expect(() => splitIntoPayloads(m, nCols, 20)).toThrow(ModelInvocationError);
    expect(splitIntoPayloads(new Float64Array(0), nCols)).toEqual([]);
  });
});

describe('parsePredictions', () => {
  it('reads text/csv separated by commas, newlines or both', () => {
    expect(parsePredictions('0.1,0.2,0.3')).toEqual([0.1, 0.2, 0.3]);
    expect(parsePredictions('0.1\n0.2\n0.3\n', 'text/csv; charset=utf-8')).toEqual([0.1, 0.2, 0.3]);
    expect(parsePredictions('0.1,0.2\r\n0.3')).toEqual([0.1, 0.2, 0.3]);
    expect(parsePredictions('')).toEqual([]);
  });

  it('reads application/json and application/jsonlines', () => {
    expect(parsePredictions('{"predictions":[{"score":0.43},{"score":0.1}]}', 'application/json')).toEqual([0.43, 0.1]);
    expect(parsePredictions('[0.5, 0.25]', 'application/json')).toEqual([0.5, 0.25]);
    expect(parsePredictions('{"score":0.43}\n{"score":0.2}\n', 'application/jsonlines')).toEqual([0.43, 0.2]);
    expect(parsePredictions('0.3\n[0.4]\n', 'application/jsonlines')).toEqual([0.3, 0.4]);
  });

  it('throws ModelInvocationError on anything else', () => {
    expect(() => parsePredictions('0.1,oops')).toThrow(ModelInvocationError);
    expect(() => parsePredictions('{"predictions":', 'application/json')).toThrow(ModelInvocationError);
    expect(() => parsePredictions('{"nope":[]}', 'application/json')).toThrow(ModelInvocationError);
    expect(() => parsePredictions('{"score":"x"}', 'application/jsonlines')).toThrow(ModelInvocationError);
  });
});
