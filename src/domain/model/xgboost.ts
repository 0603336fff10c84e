/**
 * Pure-TypeScript evaluator for XGBoost `save_model` JSON (gbtree, one output), used by the
 * embedded model backend and by the local SageMaker endpoint. Trees are flattened into typed
 * arrays; arithmetic mirrors the library's CPU predictor (float32 thresholds and float32
 * accumulation of leaf values in tree order), so results match xgboost to ~1e-7.
 */
import { ValidationError } from '../errors';

type OutputTransform = 'sigmoid' | 'identity';

const LOGISTIC = new Set(['binary:logistic', 'reg:logistic']);
// Objectives whose prediction is the raw margin (base_score is already on the margin scale).
const RAW = new Set(['binary:logitraw', 'reg:squarederror', 'reg:linear', 'reg:pseudohubererror', 'reg:absoluteerror']);

const fround = Math.fround;

function fail(message: string): never {
  throw new ValidationError(`invalid XGBoost model: ${message}`);
}

function obj(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what} is not an object`);
  return x as Record<string, unknown>;
}

function numArray(x: unknown, what: string): number[] {
  if (!Array.isArray(x)) fail(`${what} is not an array`);
  return x.map((v, i) => {
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) fail(`${what}[${i}] is not a number`);
    return n;
  });
}

/** base_score is written as "5E-1" (1.x/2.x) or "[5E-1]" (3.1+). */
export function parseBaseScore(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') fail('base_score missing');
  const text = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
  const first = text.split(',')[0]!.trim();
  const n = Number(first);
  if (first === '' || !Number.isFinite(n)) fail(`base_score ${JSON.stringify(raw)}`);
  return n;
}

/**
 * Trees padded to one common depth D and stored in heap order (children of p at 2p+1, 2p+2):
 * the batch loop is then D branch-free steps per tree. A leaf above depth D becomes fake splits
 * whose threshold is NaN (`x >= NaN` is false, so always left) down to copies of its value.
 */
interface CompleteTrees {
  depth: number;
  /** Per tree 2^D − 1 inner nodes: feature * 2 + default_left (see predictBatch). */
  slot: Int32Array;
  threshold: Float64Array;
  /** Per tree 2^D leaf values. */
  leaf: Float64Array;
}

/** Deeper models fall back to the node-by-node walk (a complete tree would be too large). */
const MAX_COMPLETE_DEPTH = 10;

function buildComplete(
  trees: readonly { left: number[]; right: number[]; idx: number[]; cond: number[]; dl: number[] }[],
): CompleteTrees | null {
  const depthOf = (t: (typeof trees)[number], k: number): number =>
    t.left[k] === -1 ? 0 : 1 + Math.max(depthOf(t, t.left[k]!), depthOf(t, t.right[k]!));
  const depth = trees.reduce((d, t) => Math.max(d, depthOf(t, 0)), 0);
  if (depth > MAX_COMPLETE_DEPTH) return null;
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  const slot = new Int32Array(trees.length * inner);
  const threshold = new Float64Array(trees.length * inner);
  const leaf = new Float64Array(trees.length * leaves);
  trees.forEach((t, ti) => {
    const fill = (k: number, p: number, d: number): void => {
      if (d === depth) {
        leaf[ti * leaves + p - inner] = fround(t.cond[k]!);
        return;
      }
      const isLeaf = t.left[k] === -1;
      slot[ti * inner + p] = isLeaf ? 0 : t.idx[k]! * 2 + (t.dl[k] ? 1 : 0);
      threshold[ti * inner + p] = isLeaf ? NaN : fround(t.cond[k]!);
      fill(isLeaf ? k : t.left[k]!, 2 * p + 1, d + 1);
      fill(isLeaf ? k : t.right[k]!, 2 * p + 2, d + 1);
    };
    fill(0, 0, 0);
  });
  return { depth, slot, threshold, leaf };
}

export class XgbModel {
  private constructor(
    readonly numFeatures: number,
    readonly numTrees: number,
    readonly objective: string,
    readonly featureNames: readonly string[] | null,
    /** Margin the trees add to (float32), i.e. logit(base_score) for logistic objectives. */
    readonly baseMargin: number,
    private readonly transform: OutputTransform,
    private readonly roots: Int32Array,
    /**
     * Per node: [2n] = index of the left child (the right child is the next node) or -1 for a
     * leaf; [2n+1] = split feature * 2 + default_left. One array read per step keeps it fast.
     */
    private readonly nodes: Int32Array,
    /** Split threshold (exact float32 value) for an inner node, leaf value for a leaf. */
    private readonly value: Float64Array,
    private readonly scratch: Float64Array,
    /** Same trees padded to complete binary trees of depth `depth` (heap order), for predictBatch. */
    private readonly complete: CompleteTrees | null,
  ) {}

  static fromJSON(json: unknown): XgbModel {
    const root = obj(typeof json === 'string' ? JSON.parse(json) : json, 'model');
    const learner = obj(root.learner, 'learner');
    const params = obj(learner.learner_model_param, 'learner_model_param');
    const objective = String(obj(learner.objective, 'objective').name ?? '');
    const numClass = Number(params.num_class ?? 0);
    if (numClass > 1) fail(`multi-class models (num_class=${numClass}) are not supported`);
    const numTarget = Number(params.num_target ?? 1);
    if (numTarget > 1) fail('multi-target models are not supported');
    const numFeatures = Number(params.num_feature);
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) fail('num_feature');
    const baseScore = parseBaseScore(params.base_score);

    let transform: OutputTransform;
    let baseMargin: number;
    if (LOGISTIC.has(objective)) {
      if (!(baseScore > 0 && baseScore < 1)) fail(`base_score ${baseScore} is not a probability`);
      transform = 'sigmoid';
      baseMargin = fround(-Math.log(1 / baseScore - 1));
    } else if (RAW.has(objective)) {
      transform = 'identity';
      baseMargin = fround(baseScore);
    } else {
      fail(`objective ${JSON.stringify(objective)} is not supported`);
    }

    const booster = obj(learner.gradient_booster, 'gradient_booster');
    if (booster.name !== 'gbtree') fail(`booster ${JSON.stringify(booster.name)} is not supported (gbtree only)`);
    const model = obj(booster.model, 'gradient_booster.model');
    if (!Array.isArray(model.trees)) fail('trees missing');
    const trees = model.trees.map((t, i) => obj(t, `trees[${i}]`));

    let total = 0;
    const parsed = trees.map((t, ti) => {
      const left = numArray(t.left_children, `trees[${ti}].left_children`);
      const right = numArray(t.right_children, `trees[${ti}].right_children`);
      const idx = numArray(t.split_indices, `trees[${ti}].split_indices`);
      const cond = numArray(t.split_conditions, `trees[${ti}].split_conditions`);
      const dl = numArray(t.default_left, `trees[${ti}].default_left`);
      const types = t.split_type === undefined ? [] : numArray(t.split_type, `trees[${ti}].split_type`);
      const n = left.length;
      if (n === 0 || right.length !== n || idx.length !== n || cond.length !== n || dl.length !== n) {
        fail(`trees[${ti}] arrays have inconsistent lengths`);
      }
      for (let k = 0; k < n; k++) {
        if (types[k] === 1 && left[k] !== -1) fail(`trees[${ti}] uses categorical splits (not supported)`);
        const l = left[k]!;
        const r = right[k]!;
        if (l !== -1 && (l <= k || l >= n || r <= k || r >= n)) fail(`trees[${ti}] node ${k} has bad children`);
        if (l !== -1 && (idx[k]! < 0 || idx[k]! >= numFeatures)) fail(`trees[${ti}] node ${k} splits on feature ${idx[k]}`);
      }
      total += n;
      return { left, right, idx, cond, dl };
    });

    // Relabel each tree breadth-first so that siblings are adjacent (right = left + 1).
    const roots = new Int32Array(parsed.length);
    const nodes = new Int32Array(total * 2);
    const value = new Float64Array(total);
    let off = 0;
    parsed.forEach((t, ti) => {
      roots[ti] = off;
      const order: number[] = [0];
      const newId = new Int32Array(t.left.length).fill(-1);
      newId[0] = 0;
      let next = 1;
      for (let q = 0; q < order.length; q++) {
        const k = order[q]!;
        const g = off + newId[k]!;
        value[g] = fround(t.cond[k]!);
        if (t.left[k] === -1) {
          nodes[2 * g] = -1;
          continue;
        }
        const l = t.left[k]!;
        const r = t.right[k]!;
        if (newId[l] !== -1 || newId[r] !== -1) fail(`trees[${ti}] is not a tree`);
        newId[l] = next++;
        newId[r] = next++;
        order.push(l, r);
        nodes[2 * g] = off + newId[l]!;
        nodes[2 * g + 1] = t.idx[k]! * 2 + (t.dl[k] ? 1 : 0);
      }
      off += next;
    });

    const names = Array.isArray(learner.feature_names) && learner.feature_names.length === numFeatures
      ? (learner.feature_names as unknown[]).map(String)
      : null;
    return new XgbModel(numFeatures, parsed.length, objective, names, baseMargin, transform, roots,
      nodes.subarray(0, off * 2), value.subarray(0, off), new Float64Array(numFeatures), buildComplete(parsed));
  }

  /** Sum of leaves + base margin for the row starting at `off` in `data` (pre-rounded to float32 in scratch). */
  private marginAt(data: ArrayLike<number>, off: number): number {
    const x = this.scratch;
    const nf = this.numFeatures;
    // float32 like the library's DMatrix; NaN stays NaN (= missing).
    for (let j = 0; j < nf; j++) x[j] = fround(data[off + j]!);
    const roots = this.roots;
    const nodes = this.nodes;
    const value = this.value;
    let acc = this.baseMargin;
    for (let t = 0; t < roots.length; t++) {
      let n = roots[t]!;
      let l = nodes[2 * n]!;
      while (l !== -1) {
        const fd = nodes[2 * n + 1]!;
        const v = x[fd >> 1]!;
        // Missing (NaN) follows default_left; otherwise left iff x < threshold, both float32.
        n = v !== v ? l + 1 - (fd & 1) : v < value[n]! ? l : l + 1;
        l = nodes[2 * n]!;
      }
      acc = fround(acc + value[n]!);
    }
    return acc;
  }

  private output(margin: number): number {
    return this.transform === 'sigmoid' ? fround(1 / (1 + Math.exp(-margin))) : margin;
  }

  /** Raw margin (log-odds for logistic objectives). NaN = missing. */
  predictMargin(row: ArrayLike<number>): number {
    if (row.length < this.numFeatures) throw new ValidationError(`row has ${row.length} values, model needs ${this.numFeatures}`);
    return this.marginAt(row, 0);
  }

  /** Prediction for one row: a probability for logistic objectives, else the margin. NaN = missing. */
  predict(row: ArrayLike<number>): number {
    return this.output(this.predictMargin(row));
  }

  /** Predictions for a row-major matrix with `nCols` columns (≥ numFeatures; extra columns ignored). */
  predictBatch(rows: ArrayLike<number>, nCols: number = this.numFeatures): Float64Array {
    if (!Number.isInteger(nCols) || nCols < this.numFeatures) {
      throw new ValidationError(`nCols ${nCols} is less than the model's ${this.numFeatures} features`);
    }
    if (rows.length % nCols !== 0) throw new ValidationError(`matrix length ${rows.length} is not a multiple of ${nCols}`);
    const n = rows.length / nCols;
    const nf = this.numFeatures;
    const out = new Float64Array(n);
    const { roots, nodes, value, complete } = this;
    const numTrees = roots.length;
    // Tree-major over blocks of rows: one tree's nodes stay in L1 cache while the block walks it.
    const BLOCK = 64;
    // Each feature is stored twice, indexed by feature * 2 + default_left: a missing value becomes
    // +Infinity in the first copy (x < t is false → right) and -Infinity in the second (→ left),
    // so the hot loop needs no NaN test. Thresholds are finite float32 values.
    const w = 2 * nf;
    const x = new Float64Array(BLOCK * w);
    const acc = new Float64Array(BLOCK);
    for (let b = 0; b < n; b += BLOCK) {
      const m = Math.min(BLOCK, n - b);
      for (let i = 0; i < m; i++) {
        const src = (b + i) * nCols;
        for (let j = 0; j < nf; j++) {
          const v = fround(rows[src + j]!);
          const missing = v !== v;
          x[i * w + 2 * j] = missing ? Infinity : v;
          x[i * w + 2 * j + 1] = missing ? -Infinity : v;
        }
        acc[i] = this.baseMargin;
      }
      if (complete !== null) {
        const { depth, slot, threshold, leaf } = complete;
        const inner = (1 << depth) - 1;
        for (let t = 0; t < numTrees; t++) {
          const tb = t * inner;
          const lb = t * (inner + 1) - inner;
          let i = 0;
          // Four rows at once: their independent dependency chains (node → feature → compare) overlap.
          for (; i + 4 <= m; i += 4) {
            const b0 = i * w;
            const b1 = b0 + w;
            const b2 = b1 + w;
            const b3 = b2 + w;
            let p0 = 0;
            let p1 = 0;
            let p2 = 0;
            let p3 = 0;
            for (let d = 0; d < depth; d++) {
              // Branch-free: the comparison picks the child arithmetically.
              p0 = 2 * p0 + 1 + Number(x[b0 + slot[tb + p0]!]! >= threshold[tb + p0]!);
              p1 = 2 * p1 + 1 + Number(x[b1 + slot[tb + p1]!]! >= threshold[tb + p1]!);
              p2 = 2 * p2 + 1 + Number(x[b2 + slot[tb + p2]!]! >= threshold[tb + p2]!);
              p3 = 2 * p3 + 1 + Number(x[b3 + slot[tb + p3]!]! >= threshold[tb + p3]!);
            }
            // float32 accumulation in tree order, as the library's CPU predictor does.
            acc[i] = fround(acc[i]! + leaf[lb + p0]!);
            acc[i + 1] = fround(acc[i + 1]! + leaf[lb + p1]!);
            acc[i + 2] = fround(acc[i + 2]! + leaf[lb + p2]!);
            acc[i + 3] = fround(acc[i + 3]! + leaf[lb + p3]!);
          }
          for (; i < m; i++) {
            const base = i * w;
            let p = 0;
            for (let d = 0; d < depth; d++) p = 2 * p + 1 + Number(x[base + slot[tb + p]!]! >= threshold[tb + p]!);
            acc[i] = fround(acc[i]! + leaf[lb + p]!);
          }
        }
      } else {
        for (let t = 0; t < numTrees; t++) {
          const root = roots[t]!;
          for (let i = 0; i < m; i++) {
            const base = i * w;
            let node = root;
            let l = nodes[2 * node]!;
            while (l !== -1) {
              node = l + Number(x[base + nodes[2 * node + 1]!]! >= value[node]!);
              l = nodes[2 * node]!;
            }
            acc[i] = fround(acc[i]! + value[node]!);
          }
        }
      }
      for (let i = 0; i < m; i++) out[b + i] = this.output(acc[i]!);
    }
    return out;
  }
}
