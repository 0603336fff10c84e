/**
 * Local SageMaker Runtime endpoint (child process, run with `node --import tsx`): answers
 * `POST /endpoints/{EndpointName}/invocations` like the built-in XGBoost container, evaluating the
 * committed model with the same TypeScript evaluator the `embedded` backend uses.
 * Options (JSON in CUREPATH_EMULATOR_OPTS): { modelPath, maxPayloadBytes?, host?, port? }.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

interface Opts {
  modelPath: string;
  srcDir: string;
  maxPayloadBytes?: number;
  host?: string;
  port?: number;
}

interface Model {
  predictBatch(rows: Float64Array, nCols: number): Float64Array;
}

const opts = JSON.parse(process.env.CUREPATH_EMULATOR_OPTS ?? '{}') as Opts;
// SageMaker real-time inference accepts at most 6 MB per request.
const maxPayload = opts.maxPayloadBytes ?? 6 * 1024 * 1024;

let modelPromise: Promise<{ model: Model; parse: (body: string) => { rows: Float64Array; nCols: number } }> | undefined;

/** Own fallback parser: rows without header, empty field = missing (NaN). */
function parseCsvFallback(body: string): { rows: Float64Array; nCols: number } {
  const lines = body.split(/\r?\n/).filter((l) => l.length > 0);
  const nCols = lines[0]?.split(',').length ?? 0;
  const rows = new Float64Array(lines.length * nCols);
  lines.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== nCols) throw new Error(`row ${r + 1}: ${cells.length} fields, expected ${nCols}`);
    cells.forEach((c, j) => (rows[r * nCols + j] = c.trim() === '' ? NaN : Number(c)));
  });
  return { rows, nCols };
}

/** Accepts the shapes parseCsvRows might return: {rows,nCols} | {values,nCols} | number[][]. */
function normalizeParsed(p: unknown): { rows: Float64Array; nCols: number } {
  if (Array.isArray(p)) {
    const nCols = (p[0] as unknown[] | undefined)?.length ?? 0;
    const rows = new Float64Array(p.length * nCols);
    p.forEach((r: ArrayLike<number>, i) => rows.set(Array.from(r, (v) => (v === null ? NaN : v)), i * nCols));
    return { rows, nCols };
  }
  const o = p as Record<string, unknown>;
  const rows = (o.rows ?? o.values ?? o.data) as Float64Array | undefined;
  const nCols = (o.nCols ?? o.cols ?? o.numCols ?? o.columns) as number | undefined;
  if (!(rows instanceof Float64Array) || typeof nCols !== 'number') throw new Error('parseCsvRows returned an unexpected shape');
  return { rows, nCols };
}

function loadModel() {
  modelPromise ??= (async () => {
    const xgb = (await import(pathToFileURL(join(opts.srcDir, 'domain/model/xgboost.ts')).href)) as {
      XgbModel: { fromJSON(json: unknown): Model };
    };
    let parse = parseCsvFallback;
    try {
      const csv = (await import(pathToFileURL(join(opts.srcDir, 'domain/model/sagemaker-csv.ts')).href)) as {
        parseCsvRows(body: string): unknown;
      };
      parse = (body) => normalizeParsed(csv.parseCsvRows(body));
    } catch {
      // Helper not there: the fallback follows the same container rules.
    }
    const json = JSON.parse(readFileSync(opts.modelPath, 'utf8')) as unknown;
    return { model: xgb.XgbModel.fromJSON(json), parse };
  })();
  return modelPromise;
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'x-amzn-requestid': randomUUID(), ...headers });
  res.end(body);
}

function error(res: http.ServerResponse, status: number, type: string, message: string) {
  send(res, status, JSON.stringify({ message }), { 'content-type': 'application/json', 'x-amzn-errortype': type });
}

const server = http.createServer((req, res) => {
  const m = /^\/endpoints\/([^/]+)\/invocations$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return error(res, 404, 'ValidationError', `No route ${req.method} ${req.url}`);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxPayload) tooBig = true;
    else chunks.push(c);
  });
  req.on('end', async () => {
    if (tooBig) return error(res, 413, 'ValidationError', `Request payload of ${size} bytes exceeds ${maxPayload} bytes`);
    const contentType = String(req.headers['content-type'] ?? 'text/csv').split(';')[0]!.trim();
    if (contentType !== 'text/csv') {
      return error(res, 415, 'ModelError', `Content type ${contentType} is not supported by this container (text/csv only)`);
    }
    try {
      const { model, parse } = await loadModel();
      const { rows, nCols } = parse(Buffer.concat(chunks).toString('utf8'));
      const scores = model.predictBatch(rows, nCols);
      const accept = String(req.headers.accept ?? 'text/csv');
      const headers = { 'x-amzn-invoked-production-variant': 'AllTraffic' };
      if (accept.includes('application/json')) {
        const predictions = Array.from(scores, (score) => ({ score }));
        return send(res, 200, JSON.stringify({ predictions }), { ...headers, 'content-type': 'application/json' });
      }
      return send(res, 200, Array.from(scores).join('\n'), { ...headers, 'content-type': 'text/csv' });
    } catch (e) {
      return error(res, 424, 'ModelError', `Received client error (400) from primary with message "${(e as Error).message}"`);
    }
  });
});

process.on('disconnect', () => process.exit(0));
server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({ type: 'ready', kind: 'sagemaker', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
