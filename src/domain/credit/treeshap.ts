/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2) over XGBoost
 * `save_model` JSON — the algorithm behind xgboost's `predict(..., pred_contribs=True)`
 * (RegTree::CalculateContributions). Node covers are the trees' `sum_hessian`; a missing value
 * (NaN) follows the split's default branch, a present one goes left iff x < threshold (float32),
 * exactly like prediction. The bias is the base margin plus every tree's cover-weighted mean leaf
 * value, so bias + Σ contributions = the margin (log-odds for binary:logistic).
 *
 * Pure and allocation-light: one scratch path buffer per model, reused for every row.
 */
import { ValidationError } from '../errors';
import { parseBaseScore } from '../model/xgboost';

const fround = Math.fround;

function fail(message: string): never {
  throw new ValidationError(`invalid XGBoost model for TreeSHAP: ${message}`);
}

interface Tree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  defaultLeft: Uint8Array;
  /** float32 split threshold for inner nodes, leaf value for leaves. */
  value: Float64Array;
  cover: Float64Array;
  /** Cover-weighted mean leaf value of the whole tree (its expected output). */
  mean: number;
  depth: number;
}

const asNumbers = (x: unknown, what: string): number[] => {
  if (!Array.isArray(x)) fail(`${what} is not an array`);
  return x.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)));
};

/**
 * The unique path of Algorithm 2 as four parallel arrays. Each recursion level works on its own
 * slice [offset, offset + depth + 1], copied from the parent's (as the reference implementation does).
 */
class PathBuffer {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

export class TreeShapExplainer {
  private constructor(
    readonly numFeatures: number,
    readonly featureNames: readonly string[] | null,
    /** Base margin (logit(base_score) for logistic objectives), float32. */
    readonly baseMargin: number,
    private readonly trees: readonly Tree[],
    private readonly path: PathBuffer,
    private readonly x: Float64Array,
  ) {}

  static fromJSON(json: unknown): TreeShapExplainer {
    const root = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, any>;
    const learner = root?.learner;
    if (!learner?.learner_model_param || !learner.gradient_booster) fail('not an xgboost save_model document');
    const objective = String(learner.objective?.name ?? '');
    const numFeatures = Number(learner.learner_model_param.num_feature);
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) fail('num_feature');
    if (Number(learner.learner_model_param.num_class ?? 0) > 1) fail('multi-class models are not supported');
    const baseScore = parseBaseScore(learner.learner_model_param.base_score);
    let baseMargin: number;
    if (objective === 'binary:logistic' || objective === 'reg:logistic') baseMargin = fround(-Math.log(1 / baseScore - 1));
    else if (objective === 'binary:logitraw' || objective === 'reg:squarederror') baseMargin = fround(baseScore);
    else fail(`objective ${JSON.stringify(objective)} is not supported`);
    if (learner.gradient_booster.name !== 'gbtree') fail('gbtree boosters only');
    const rawTrees = learner.gradient_booster.model?.trees;
    if (!Array.isArray(rawTrees)) fail('trees missing');

    let maxDepth = 0;
    const trees = rawTrees.map((t: Record<string, unknown>, ti: number): Tree => {
      const left = Int32Array.from(asNumbers(t.left_children, `trees[${ti}].left_children`));
      const right = Int32Array.from(asNumbers(t.right_children, `trees[${ti}].right_children`));
      const feature = Int32Array.from(asNumbers(t.split_indices, `trees[${ti}].split_indices`));
      const defaultLeft = Uint8Array.from(asNumbers(t.default_left, `trees[${ti}].default_left`));
      const value = Float64Array.from(asNumbers(t.split_conditions, `trees[${ti}].split_conditions`), fround);
      const cover = Float64Array.from(asNumbers(t.sum_hessian, `trees[${ti}].sum_hessian`), fround);
      const n = left.length;
      if ([right, feature, defaultLeft, value, cover].some((a) => a.length !== n) || n === 0) fail(`trees[${ti}] arrays have inconsistent lengths`);
      const types = t.split_type === undefined ? [] : asNumbers(t.split_type, `trees[${ti}].split_type`);
      for (let k = 0; k < n; k++) {
        if (left[k] === -1) continue;
        if (types[k] === 1) fail(`trees[${ti}] uses categorical splits`);
        if (left[k]! <= k || left[k]! >= n || right[k]! <= k || right[k]! >= n) fail(`trees[${ti}] node ${k} has bad children`);
        if (feature[k]! < 0 || feature[k]! >= numFeatures) fail(`trees[${ti}] node ${k} splits on feature ${feature[k]}`);
      }
      // Node means as xgboost's FillNodeMeanValue computes them (float32, divided by the node's own cover).
      const meanOf = (k: number): number => {
        if (left[k] === -1) return value[k]!;
        const l = left[k]!;
        const r = right[k]!;
        return fround(fround(fround(meanOf(l) * cover[l]!) + fround(meanOf(r) * cover[r]!)) / cover[k]!);
      };
      const depthOf = (k: number): number => (left[k] === -1 ? 0 : 1 + Math.max(depthOf(left[k]!), depthOf(right[k]!)));
      const depth = depthOf(0);
      maxDepth = Math.max(maxDepth, depth);
      return { left, right, feature, defaultLeft, value, cover, mean: meanOf(0), depth };
    });
    const names = Array.isArray(learner.feature_names) && learner.feature_names.length === numFeatures ? learner.feature_names.map(String) : null;
    // Level d's slice starts at d(d+1)/2 and holds d+1 elements; depth + 2 levels (root extension + leaves).
    const levels = maxDepth + 2;
    return new TreeShapExplainer(numFeatures, names, baseMargin, trees, new PathBuffer((levels * (levels + 1)) / 2 + levels), new Float64Array(numFeatures));
  }

  /**
   * SHAP values of one row (NaN = missing): Float64Array of numFeatures + 1, the last being the
   * bias. Values are in margin units (log-odds); bias + Σ phi = the model's margin.
   */
  contributions(row: ArrayLike<number>, out: Float64Array = new Float64Array(this.numFeatures + 1)): Float64Array {
    const nf = this.numFeatures;
    if (row.length < nf) throw new ValidationError(`row has ${row.length} values, model needs ${nf}`);
    if (out.length < nf + 1) throw new ValidationError(`output needs ${nf + 1} slots`);
    out.fill(0, 0, nf + 1);
    for (let j = 0; j < nf; j++) this.x[j] = fround(row[j]!); // float32 like the library's DMatrix
    let bias = this.baseMargin;
    for (const tree of this.trees) {
      bias += tree.mean;
      this.recurse(tree, out, 0, 0, 0, 1, 1, -1);
    }
    out[nf] = bias;
    return out;
  }

  /** Algorithm 2's RECURSE; `offset` is where this level's copy of the path lives. */
  private recurse(
    tree: Tree, phi: Float64Array, node: number, uniqueDepth: number, parentOffset: number,
    zeroFraction: number, oneFraction: number, featureIndex: number,
  ): void {
    const p = this.path;
    // This level's slice follows the parent's (which holds uniqueDepth elements).
    const off = parentOffset + uniqueDepth;
    if (uniqueDepth > 0) {
      p.feature.copyWithin(off, parentOffset, parentOffset + uniqueDepth);
      p.zero.copyWithin(off, parentOffset, parentOffset + uniqueDepth);
      p.one.copyWithin(off, parentOffset, parentOffset + uniqueDepth);
      p.weight.copyWithin(off, parentOffset, parentOffset + uniqueDepth);
    }
    extendPath(p, off, uniqueDepth, zeroFraction, oneFraction, featureIndex);

    const left = tree.left[node]!;
    if (left === -1) {
      const leafValue = tree.value[node]!;
      for (let i = 1; i <= uniqueDepth; i++) {
        const w = unwoundPathSum(p, off, uniqueDepth, i);
        phi[p.feature[off + i]!]! += w * (p.one[off + i]! - p.zero[off + i]!) * leafValue;
      }
      return;
    }

    const split = tree.feature[node]!;
    const right = tree.right[node]!;
    const v = this.x[split]!;
    const hot = v !== v ? (tree.defaultLeft[node] ? left : right) : v < tree.value[node]! ? left : right;
    const cold = hot === left ? right : left;
    const w = tree.cover[node]!;
    const hotZero = tree.cover[hot]! / w;
    const coldZero = tree.cover[cold]! / w;
    let incomingZero = 1;
    let incomingOne = 1;

    // A feature already on the path: undo its earlier split before extending again.
    let depth = uniqueDepth;
    let k = 0;
    for (; k <= depth; k++) if (p.feature[off + k] === split) break;
    if (k !== depth + 1) {
      incomingZero = p.zero[off + k]!;
      incomingOne = p.one[off + k]!;
      unwindPath(p, off, depth, k);
      depth -= 1;
    }
    this.recurse(tree, phi, hot, depth + 1, off, hotZero * incomingZero, incomingOne, split);
    this.recurse(tree, phi, cold, depth + 1, off, coldZero * incomingZero, 0, split);
  }
}

function extendPath(p: PathBuffer, off: number, uniqueDepth: number, zeroFraction: number, oneFraction: number, featureIndex: number): void {
  p.feature[off + uniqueDepth] = featureIndex;
  p.zero[off + uniqueDepth] = zeroFraction;
  p.one[off + uniqueDepth] = oneFraction;
  p.weight[off + uniqueDepth] = uniqueDepth === 0 ? 1 : 0;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    p.weight[off + i + 1]! += (oneFraction * p.weight[off + i]! * (i + 1)) / (uniqueDepth + 1);
    p.weight[off + i] = (zeroFraction * p.weight[off + i]! * (uniqueDepth - i)) / (uniqueDepth + 1);
  }
}

function unwindPath(p: PathBuffer, off: number, uniqueDepth: number, pathIndex: number): void {
  const one = p.one[off + pathIndex]!;
  const zero = p.zero[off + pathIndex]!;
  let nextOnePortion = p.weight[off + uniqueDepth]!;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[off + i]!;
      p.weight[off + i] = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * one);
      nextOnePortion = tmp - (p.weight[off + i]! * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
    } else {
      p.weight[off + i] = (p.weight[off + i]! * (uniqueDepth + 1)) / (zero * (uniqueDepth - i));
    }
  }
  for (let i = pathIndex; i < uniqueDepth; i++) {
    p.feature[off + i] = p.feature[off + i + 1]!;
    p.zero[off + i] = p.zero[off + i + 1]!;
    p.one[off + i] = p.one[off + i + 1]!;
  }
}

/** Total weight of the path with element `pathIndex` unwound, without modifying it. */
function unwoundPathSum(p: PathBuffer, off: number, uniqueDepth: number, pathIndex: number): number {
  const one = p.one[off + pathIndex]!;
  const zero = p.zero[off + pathIndex]!;
  let nextOnePortion = p.weight[off + uniqueDepth]!;
  let total = 0;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOnePortion * (uniqueDepth + 1)) / ((i + 1) * one);
      total += tmp;
      nextOnePortion = p.weight[off + i]! - (tmp * zero * (uniqueDepth - i)) / (uniqueDepth + 1);
    } else if (zero !== 0) {
      total += p.weight[off + i]! / zero / ((uniqueDepth - i) / (uniqueDepth + 1));
    }
  }
  return total;
}
