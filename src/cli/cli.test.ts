/**
 * The CLI end to end, as a user runs it: a child process of the compiled `segmenta`, a real DuckDB file in a
 * temp folder. Bad input must give exit code 2 and one line naming the problem, and write nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'main.js');

function segmenta(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-cli-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ORDERS_HEADER = 'order_id,customer_id,ordered_at,product_id,quantity,unit_price';

test('segmenta with an unknown command exits 2 and lists the commands', { skip: !existsSync(cli) && 'compiled CLI not found' }, () => {
  withDir((dir) => {
    const r = segmenta(['frobnicate'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^segmenta: unknown command "frobnicate"; expected one of demo, generate, import/);
  });
});

test('an unknown preset is a one-line error that names the known presets, and writes nothing', () => {
  withDir((dir) => {
    const r = segmenta(['import', 'orders', '--preset', 'nope', '--db', 'x.duckdb'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /nope/);
    assert.match(r.stderr, /online-retail/);
  });
});

test('a CSV with a wrong type on line 3 names file, line, column and value; the database stays empty', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'orders.csv'), `${ORDERS_HEADER}\nA1,c1,2024-01-02 10:00:00,p1,2,3.5\nA2,c2,2024-01-03 10:00:00,p1,two,3.5\n`);
    const r = segmenta(['import', 'orders', 'orders.csv', '--db', 'shop.duckdb'], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /orders\.csv:3/);
    assert.match(r.stderr, /quantity/i);
    assert.match(r.stderr, /two/);
    const after = segmenta(['quality', '--db', 'shop.duckdb', '--json'], dir);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).totals.orderLines, 0);
  });
});

test('a missing required column and a truncated gzip are one-line errors', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'no-qty.csv'), 'order_id,customer_id,ordered_at,unit_price\nA1,c1,2024-01-02 10:00:00,3.5\n');
    const missing = segmenta(['import', 'orders', 'no-qty.csv', '--db', 'shop.duckdb'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /quantity/);
    const gz = gzipSync(Buffer.from(`${ORDERS_HEADER}\n${'A1,c1,2024-01-02 10:00:00,p1,2,3.5\n'.repeat(5000)}`));
    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const cut = segmenta(['import', 'orders', 'cut.csv.gz', '--db', 'shop.duckdb'], dir);
    assert.equal(cut.code, 2, cut.stderr);
    assert.equal(cut.stderr.trim().split('\n').length, 1, cut.stderr);
    assert.match(cut.stderr, /cut\.csv\.gz/);
  });
});

test('segment on an empty database explains what to do', () => {
  withDir((dir) => {
    const r = segmenta(['segment', '--db', 'empty.duckdb'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty|no (events|orders)/i);
  });
});

test('import → segment → report works on a small orders file, with --json everywhere', () => {
  withDir((dir) => {
    const lines = [ORDERS_HEADER];
    for (let c = 0; c < 60; c++) {
      const orders = 1 + (c % 6);
      for (let o = 0; o < orders; o++) lines.push(`O${c}-${o},cust${c},2024-0${1 + (o % 9)}-1${c % 10} 12:00:00,p${o % 4},${1 + (c % 3)},${(5 + c * 1.5).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
    const imported = segmenta(['import', 'orders', 'orders.csv', '--json'], dir);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).rowsWritten, lines.length - 1);
    const again = segmenta(['import', 'orders', 'orders.csv', '--json'], dir);
    assert.equal(JSON.parse(again.stdout).rowsWritten, 0, 'a re-import adds nothing');
    const seg = segmenta(['segment', '--k', '3', '--seed', '7', '--json'], dir);
    assert.equal(seg.code, 0, seg.stderr);
    const run = JSON.parse(seg.stdout);
    assert.equal(run.k, 3);
    assert.equal(run.segments.reduce((s: number, x: { size: number }) => s + x.size, 0), 60);
    assert.equal(new Set(run.segments.map((s: { name: string }) => s.name)).size, 3);
    const report = segmenta(['report', '--out', 'r.html'], dir);
    assert.equal(report.code, 0, report.stderr);
    assert.ok(existsSync(join(dir, 'r.html')));
  });
});
