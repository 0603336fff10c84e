/**
 * Loads an ASL YAML file from state-machines/ the way the framework would see it, minus AWS:
 * `${param:x}` placeholders are substituted from `params`, and `Fn::GetAtt: [fn, Arn]` Task
 * resources become placeholder Lambda ARNs (aws-local-stepfunctions cannot evaluate intrinsics).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import '../../local/polyfills';

export const REPO_ROOT = join(__dirname, '..', '..');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type AslState = Record<string, any>;
export type AslDefinition = { StartAt: string; States: Record<string, AslState>; [k: string]: any };

/** Placeholder ARN the tests use for the Lambda function `fn`. */
export const lambdaArn = (fn: string) => `arn:aws:lambda:us-east-1:123456789012:function:curepath-test-${fn}`;

function resolve(node: unknown, params: Record<string, string | number | boolean>): unknown {
  if (typeof node === 'string') {
    const whole = /^\$\{param:(\w+)\}$/.exec(node);
    if (whole) {
      const key = whole[1]!;
      if (!(key in params)) throw new Error(`no value for \${param:${key}}`);
      return params[key];
    }
    return node.replace(/\$\{param:(\w+)\}/g, (_, k: string) => {
      if (!(k in params)) throw new Error(`no value for \${param:${k}}`);
      return String(params[k]);
    });
  }
  if (Array.isArray(node)) return node.map((n) => resolve(n, params));
  if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const getAtt = obj['Fn::GetAtt'];
    if (Object.keys(obj).length === 1 && Array.isArray(getAtt) && getAtt[1] === 'Arn') return lambdaArn(String(getAtt[0]));
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v, params)]));
  }
  return node;
}

/** The parsed YAML with no substitution (intrinsics and placeholders left as written). */
export function loadRawAsl(file: string): AslDefinition {
  return parse(readFileSync(join(REPO_ROOT, 'state-machines', file), 'utf8')) as AslDefinition;
}

export function loadAsl(file: string, params: Record<string, string | number | boolean>): AslDefinition {
  return resolve(loadRawAsl(file), params) as AslDefinition;
}

/** Every state of the definition, including the states of Map/Parallel processors, with their scope. */
export function allStates(def: AslDefinition): { name: string; state: AslState; scope: Record<string, AslState> }[] {
  const out: { name: string; state: AslState; scope: Record<string, AslState> }[] = [];
  const walk = (scope: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(scope)) {
      out.push({ name, state, scope });
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) walk(processor.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk(def.States);
  return out;
}

/** Names of the states reachable from StartAt in one scope (Next, Default, Choices, Catch). */
export function reachable(startAt: string, states: Record<string, AslState>): Set<string> {
  const seen = new Set<string>();
  const stack = [startAt];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || !(name in states)) continue;
    seen.add(name);
    const s = states[name]!;
    const next = [s.Next, s.Default, ...(s.Choices ?? []).map((c: AslState) => c.Next), ...(s.Catch ?? []).map((c: AslState) => c.Next)];
    for (const n of next) if (typeof n === 'string') stack.push(n);
  }
  return seen;
}
