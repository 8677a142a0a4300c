import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Store, quoteLiteral } from '../../store/db.js';
import { readLabelsFile, readMatrixFile } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-io-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('readMatrixFile', () => {
  it('reads numeric columns row-major and carries a text id column as ids', async () => {
    const { matrix, idColumn } = await readMatrixFile(csv('a.csv', 'id,x,y\nc1,1,2.5\nc2,-3,4e2\n'));
    assert.equal(idColumn, 'id');
    assert.deepEqual(matrix.ids, ['c1', 'c2']);
    assert.deepEqual(matrix.columns, ['x', 'y']);
    assert.deepEqual(Array.from(matrix.values), [1, 2.5, -3, 400]);
  });

  it('numbers rows from 1 when there is no id column', async () => {
    const { matrix, idColumn } = await readMatrixFile(csv('b.csv', 'x,y\n1,2\n3,4\n5,6\n'));
    assert.equal(idColumn, null);
    assert.deepEqual(matrix.ids, ['1', '2', '3']);
  });

  it('reads Parquet written by DuckDB COPY, numeric id included as ids', async () => {
    const file = join(dir, 'p.parquet');
    const store = await Store.open(':memory:');
    try {
      await store.run(`COPY (SELECT i AS id, i * 1.5 AS x, CAST(i AS INTEGER) AS y FROM range(1, 4) t(i)) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    } finally {
      store.close();
    }
    const { matrix } = await readMatrixFile(file);
    assert.deepEqual(matrix.ids, ['1', '2', '3']);
    assert.deepEqual(Array.from(matrix.values), [1.5, 1, 3, 2, 4.5, 3]);
  });

  const bad: [string, string, string][] = [
    ['text column', 'id,x,name\na,1,2\nb,2,Alice\n', 'bad1.csv line 3, column "name": column is not numeric (got "Alice"); only the id column may hold text'],
    ['empty cell', 'x,y\n1,2\n3,\n', 'bad2.csv line 3, column "y": empty cell (missing value); fill or drop missing values first'],
    ['NaN', 'x,y\n1,2\n3,4\nNaN,5\n', 'bad3.csv line 4, column "x": value must be a finite number (got "NaN")'],
    ['Infinity', 'x,y\n1,inf\n', 'bad4.csv line 2, column "y": value must be a finite number (got "inf")'],
    ['empty file', '', 'bad5.csv is empty: expected a header line and at least one data row'],
    ['header only', 'id,x,y\n', 'bad6.csv has no data rows (only a header with columns x, y)'],
    ['only an id', 'id\na\n', 'bad7.csv has no feature columns (got only "id"); expected numeric columns besides the id'],
    ['duplicate id', 'id,x\na,1\nb,2\na,3\n', 'bad8.csv line 4, column "id": duplicate id "a" (first on line 2)'],
  ];
  bad.forEach(([what, text, message], i) => {
    it(`rejects ${what} with a one-line message naming the place`, async () => {
      await assert.rejects(readMatrixFile(csv(`bad${i + 1}.csv`, text)), { name: 'InputError', message });
    });
  });

  it('rejects a missing file and an unknown extension', async () => {
    await assert.rejects(readMatrixFile(join(dir, 'nope.csv')), { message: `input file not found: ${join(dir, 'nope.csv')}` });
    await assert.rejects(readMatrixFile(csv('x.xlsx', 'a')), { message: 'x.xlsx: cannot tell the format from the file name (expected .csv, .tsv or .parquet)' });
  });
});

describe('readLabelsFile', () => {
  it('aligns id,label by id whatever the order', async () => {
    const r = await readLabelsFile(csv('l1.csv', 'id,label\nb,1\na,0\nc,2\n'), ['a', 'b', 'c']);
    assert.equal(r.alignedBy, 'id');
    assert.deepEqual(Array.from(r.labels), [0, 1, 2]);
  });

  it('aligns a single label column by row and numbers text labels by first appearance', async () => {
    const r = await readLabelsFile(csv('l2.csv', 'segment\nvip\nlapsed\nvip\n'), ['1', '2', '3']);
    assert.equal(r.alignedBy, 'row');
    assert.deepEqual(Array.from(r.labels), [0, 1, 0]);
    assert.deepEqual(r.names, ['vip', 'lapsed']);
  });

  it('rejects a missing id, a wrong row count and an empty label', async () => {
    await assert.rejects(readLabelsFile(csv('l3.csv', 'id,label\na,0\n'), ['a', 'b']), { message: 'l3.csv has no label for id "b" (input row 2)' });
    await assert.rejects(readLabelsFile(csv('l4.csv', 'label\n0\n1\n'), ['a', 'b', 'c']), { message: 'l4.csv must have one label per input row when it has no id column (got 2 labels, rows=3)' });
    await assert.rejects(readLabelsFile(csv('l5.csv', 'label\n0\n\n1\n'), ['a', 'b', 'c']), { message: /^l5\.csv/ });
  });
});
