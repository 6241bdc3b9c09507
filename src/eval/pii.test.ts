import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countSpans, evaluatePii, evaluatePiiRows, scoresOf, type TypeCounts } from './pii.ts';

describe('overlap matching', () => {
  it('counts found gold spans and correct predictions per type', () => {
    const counts = new Map<string, TypeCounts>();
    countSpans(
      counts,
      [
        { type: 'PERSON', start: 0, end: 10 },
        { type: 'PERSON', start: 20, end: 25 },
      ],
      [
        { type: 'PERSON', start: 5, end: 12 }, // overlaps the first
        { type: 'PERSON', start: 30, end: 35 }, // overlaps nothing
        { type: 'LOCATION', start: 0, end: 10 }, // right place, wrong type
      ],
    );
    assert.deepEqual(counts.get('PERSON'), { gold: 2, predicted: 2, goldFound: 1, predictedCorrect: 1 });
    assert.deepEqual(counts.get('LOCATION'), { gold: 0, predicted: 1, goldFound: 0, predictedCorrect: 0 });
    assert.deepEqual(scoresOf(counts.get('PERSON')!), { precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('touching spans do not overlap', () => {
    const counts = new Map<string, TypeCounts>();
    countSpans(counts, [{ type: 'X', start: 0, end: 5 }], [{ type: 'X', start: 5, end: 9 }]);
    assert.equal(counts.get('X')?.goldFound, 0);
  });
});

describe('evaluatePiiRows', () => {
  it('maps data-set types, ignores unmapped ones, and skips names on structured-scope rows', () => {
    const rows = [
      {
        text: 'Ann at 1 Main St',
        entities: [
          { type: 'PERSON', start: 0, end: 3 },
          { type: 'STREET_ADDRESS', start: 7, end: 16 },
          { type: 'TITLE', start: 0, end: 3 },
        ],
      },
      { text: 'Tom has 3 apples', entities: [], scope: 'structured' },
    ];
    const result = evaluatePiiRows(rows, (text) =>
      text.startsWith('Ann')
        ? [
            { type: 'PERSON', start: 0, end: 3 },
            { type: 'LOCATION', start: 10, end: 14 },
            { type: 'DATE_OF_BIRTH', start: 0, end: 1 },
          ]
        : [{ type: 'PERSON', start: 0, end: 3 }],
    );
    assert.deepEqual(result.byType.get('PERSON'), {
      gold: 1,
      predicted: 1,
      goldFound: 1,
      predictedCorrect: 1,
    });
    assert.deepEqual(result.byType.get('LOCATION'), {
      gold: 1,
      predicted: 1,
      goldFound: 1,
      predictedCorrect: 1,
    });
    assert.equal(result.unscored, 1);
    assert.equal(result.overall.gold, 2);
  });
});

describe('evaluatePii', () => {
  it('writes a per-type table with an overall row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-pii-'));
    const path = join(dir, 'rows.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({
          text: 'mail jane@example.com',
          entities: [{ type: 'EMAIL', start: 5, end: 21 }],
          scope: 'all',
        }),
        JSON.stringify({
          text: 'SSN 536-22-8745',
          entities: [{ type: 'US_SSN', start: 4, end: 15 }],
          scope: 'all',
        }),
      ].join('\n'),
    );
    const lines: string[] = [];
    await evaluatePii(path, { write: (l) => lines.push(l) });
    assert.match(lines.find((l) => l.startsWith('EMAIL_ADDRESS')) ?? '', /1\.000\s+1\.000\s+1\.000$/);
    assert.match(lines.find((l) => l.startsWith('overall')) ?? '', /1\.000$/);
  });

  it('fails with the line number on bad JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-pii-'));
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"text": "ok", "entities": []}\n{oops\n');
    await assert.rejects(evaluatePii(path, { write: () => undefined }), /bad\.jsonl:2/);
  });
});
