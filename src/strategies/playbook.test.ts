import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAMILIES } from '../segments/naming/index.js';
import { DEFAULT_PLAYBOOK, loadPlaybook, mergePlaybook } from './index.js';

test('the default playbook has a complete strategy for every family', () => {
  for (const family of FAMILIES) {
    const s = DEFAULT_PLAYBOOK[family];
    for (const field of ['goal', 'tactic', 'offer', 'timing', 'kpi'] as const) assert.ok(s[field].length > 10, `${family}.${field}`);
    assert.ok(s.channels.length > 0);
    assert.ok(s.frequencyCap.maxContacts >= 1);
  }
});

test('churn risk recalls at most once a week, pauses after 3 unanswered contacts and retries after 90 days', () => {
  assert.deepEqual(DEFAULT_PLAYBOOK.churn_risk.frequencyCap, { maxContacts: 1, per: 'week', pauseAfterUnanswered: 3, retryAfterDays: 90 });
});

test('an override file replaces only the fields it names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'playbook-'));
  try {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'deal_seekers:\n  offer: "48-hour flash sale"\n  frequencyCap: { maxContacts: 1 }\n');
    const playbook = loadPlaybook(file);
    assert.equal(playbook.deal_seekers.offer, '48-hour flash sale');
    assert.equal(playbook.deal_seekers.frequencyCap.maxContacts, 1);
    assert.equal(playbook.deal_seekers.frequencyCap.per, 'week');
    assert.equal(playbook.deal_seekers.tactic, DEFAULT_PLAYBOOK.deal_seekers.tactic);
    assert.deepEqual(playbook.dormant, DEFAULT_PLAYBOOK.dormant);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad override names every problem with its path', () => {
  assert.throws(
    () => mergePlaybook({ vips: {}, churn_risk: { frequencyCap: { maxContacts: 0, per: 'year' }, channels: ['pigeon'] } }, 'p.yaml'),
    (error: Error & { issues?: { path: string }[] }) => {
      assert.equal(error.message, 'p.yaml: vips: unknown segment family; expected one of high_value_active, potential_growth, stable_value, churn_risk, window_shoppers, deal_seekers, dormant, new_customers (and 3 more)');
      assert.deepEqual(error.issues?.map((i) => i.path), ['vips', 'churn_risk.frequencyCap.maxContacts', 'churn_risk.frequencyCap.per', 'churn_risk.channels[0]']);
      return true;
    },
  );
});

test('a playbook file that is not valid YAML gives a one-line error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'playbook-'));
  try {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'deal_seekers: [unclosed\n');
    assert.throws(() => loadPlaybook(file), /p\.yaml: not valid YAML/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
