/**
 * A decision tree as readable rules, one per leaf, conditions in path order with repeated tests on a column merged to
 * the tightest bound: `if recency_days <= 45.5 and frequency > 2.5 then churn 0.12 (n=340)`. Binary trees give the
 * probability of class 1; multi-class trees the most likely class and its probability. n is the training rows in the
 * leaf. Thresholds print with up to 6 significant digits. O(leaves · depth).
 */
import type { DecisionTree } from './decision-tree.js';

export interface RuleOptions {
  /** Names of the classes (default `class 0`, `class 1`, …). */
  readonly classNames?: readonly string[];
  /** Digits after the point for probabilities (default 2). */
  readonly digits?: number;
}

export interface TreeRule {
  readonly text: string;
  readonly leaf: number;
  readonly samples: number;
  /** Class probabilities in the leaf. */
  readonly proba: Float64Array;
}

interface Bound {
  readonly feature: number;
  readonly op: '<=' | '>';
  threshold: number;
}

export function treeRules(tree: DecisionTree, options: RuleOptions = {}): TreeRule[] {
  const C = tree.nClasses;
  const name = (c: number): string => options.classNames?.[c] ?? `class ${c}`;
  const digits = options.digits ?? 2;
  const out: TreeRule[] = [];
  const walk = (node: number, path: Bound[]): void => {
    const l = tree.left[node]!;
    if (l === -1) {
      const proba = new Float64Array(C);
      let s = 0;
      for (let c = 0; c < C; c++) s += tree.value[node * C + c]!;
      for (let c = 0; c < C; c++) proba[c] = tree.value[node * C + c]! / (s || 1);
      let best = 0;
      for (let c = 1; c < C; c++) if (proba[c]! > proba[best]!) best = c;
      const shown = C === 2 ? 1 : best;
      const cond = path.length === 0 ? 'true' : path.map((b) => `${tree.columns[b.feature] ?? `x${b.feature}`} ${b.op} ${Number(b.threshold.toPrecision(6))}`).join(' and ');
      const samples = tree.nNodeSamples[node]!;
      out.push({ text: `if ${cond} then ${name(shown)} ${proba[shown]!.toFixed(digits)} (n=${samples})`, leaf: node, samples, proba });
      return;
    }
    const f = tree.feature[node]!;
    const t = tree.threshold[node]!;
    walk(l, tighten(path, f, '<=', t));
    walk(tree.right[node]!, tighten(path, f, '>', t));
  };
  walk(0, []);
  return out;
}

function tighten(path: Bound[], feature: number, op: '<=' | '>', threshold: number): Bound[] {
  const next = path.map((b) => ({ ...b }));
  const same = next.find((b) => b.feature === feature && b.op === op);
  if (!same) next.push({ feature, op, threshold });
  else same.threshold = op === '<=' ? Math.min(same.threshold, threshold) : Math.max(same.threshold, threshold);
  return next;
}
