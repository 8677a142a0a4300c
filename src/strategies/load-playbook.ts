/**
 * Reads a playbook override from YAML or JSON and merges it over the default. The file may give any subset of
 * families and, per family, any subset of fields. Every problem is reported with its path
 * (`churn_risk.frequencyCap.maxContacts: must be a whole number ≥ 1 (got 0)`), all at once.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError, describeValue, type InputIssue } from '../core/errors.js';
import { FAMILIES, type Family } from '../segments/naming/index.js';
import { CHANNELS, DEFAULT_PLAYBOOK, PERIODS, type Playbook, type Strategy } from './playbook.js';

const TEXT_FIELDS = ['goal', 'tactic', 'offer', 'timing', 'kpi'] as const;

export function loadPlaybook(file: string): Playbook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read playbook ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return mergePlaybook(data, file);
}

/** Validates `data` as a partial playbook and merges it over the default. */
export function mergePlaybook(data: unknown, source = 'playbook'): Playbook {
  const issues: InputIssue[] = [];
  if (!isObject(data)) throw new InputError(`${source}: a playbook must be a mapping from segment family to strategy (got ${describeValue(data)})`);
  const merged: Record<string, Strategy> = { ...DEFAULT_PLAYBOOK };
  for (const [family, value] of Object.entries(data)) {
    if (!(FAMILIES as readonly string[]).includes(family)) {
      issues.push({ path: family, message: `unknown segment family; expected one of ${FAMILIES.join(', ')}` });
      continue;
    }
    if (!isObject(value)) {
      issues.push({ path: family, message: `must be a mapping of strategy fields (got ${describeValue(value)})` });
      continue;
    }
    merged[family] = mergeStrategy(DEFAULT_PLAYBOOK[family as Family], value, family, issues);
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new InputError(`${source}: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
  }
  return merged as Playbook;
}

function mergeStrategy(base: Strategy, value: Record<string, unknown>, path: string, issues: InputIssue[]): Strategy {
  const out: Record<string, unknown> = { ...base };
  const known = new Set<string>([...TEXT_FIELDS, 'channels', 'frequencyCap']);
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!known.has(key)) issues.push({ path: at, message: `unknown field; expected one of ${[...known].join(', ')}` });
    else if ((TEXT_FIELDS as readonly string[]).includes(key)) {
      if (typeof v !== 'string' || v.trim() === '') issues.push({ path: at, message: `must be a non-empty text (got ${describeValue(v)})` });
      else out[key] = v;
    } else if (key === 'channels') {
      if (!Array.isArray(v) || v.length === 0) issues.push({ path: at, message: `must be a non-empty list of channels (got ${describeValue(v)})` });
      else {
        v.forEach((c, i) => {
          if (!(CHANNELS as readonly unknown[]).includes(c)) issues.push({ path: `${at}[${i}]`, message: `unknown channel ${describeValue(c)}; expected one of ${CHANNELS.join(', ')}` });
        });
        out[key] = v;
      }
    } else out[key] = mergeCap(base.frequencyCap, v, at, issues);
  }
  return out as unknown as Strategy;
}

function mergeCap(base: Strategy['frequencyCap'], v: unknown, path: string, issues: InputIssue[]): Strategy['frequencyCap'] {
  if (!isObject(v)) {
    issues.push({ path, message: `must be a mapping with maxContacts and per (got ${describeValue(v)})` });
    return base;
  }
  const cap: Record<string, unknown> = { ...base, ...v };
  const whole = (name: string, min: number, optional: boolean) => {
    const x = cap[name];
    if (x === undefined && optional) return;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) issues.push({ path: `${path}.${name}`, message: `must be a whole number ≥ ${min} (got ${describeValue(x)})` });
  };
  whole('maxContacts', 1, false);
  whole('pauseAfterUnanswered', 1, true);
  whole('retryAfterDays', 1, true);
  if (!(PERIODS as readonly unknown[]).includes(cap.per)) issues.push({ path: `${path}.per`, message: `must be one of ${PERIODS.join(', ')} (got ${describeValue(cap.per)})` });
  for (const key of Object.keys(v)) {
    if (!['maxContacts', 'per', 'pauseAfterUnanswered', 'retryAfterDays'].includes(key)) issues.push({ path: `${path}.${key}`, message: 'unknown field; expected maxContacts, per, pauseAfterUnanswered, retryAfterDays' });
  }
  return cap as unknown as Strategy['frequencyCap'];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
