import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSecretRows, evaluateSecrets } from './secrets.ts';

describe('evaluateSecretRows', () => {
  it('matches by overlap regardless of rule names and counts false alarms on negative rows', () => {
    const rows = [
      { text: 'a SECRET b', secrets: [{ type: 'X_TOKEN', start: 2, end: 8 }] },
      { text: 'nothing here', secrets: [] },
      { text: 'also nothing', secrets: [] },
    ];
    const result = evaluateSecretRows(rows, (text) =>
      text.startsWith('a ')
        ? [{ type: 'secret.x', start: 4, end: 6 }]
        : text.startsWith('also')
          ? [{ type: 'secret.y', start: 0, end: 4 }]
          : [],
    );
    assert.deepEqual(result.overall, { gold: 1, predicted: 2, goldFound: 1, predictedCorrect: 1 });
    assert.equal(result.falseAlarmRows, 1);
    assert.equal(result.negativeRows, 2);
    assert.equal(result.byType.get('X_TOKEN')?.goldFound, 1);
  });
});

describe('evaluateSecrets', () => {
  it('reports the data file, the generated examples and both combined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-secrets-'));
    const data = join(dir, 'data.jsonl');
    const generated = join(dir, 'generated.jsonl');
    const token = `ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5`;
    writeFileSync(
      data,
      JSON.stringify({
        text: `t=${token}`,
        secrets: [{ type: 'GITHUB_TOKEN', start: 2, end: 2 + token.length }],
      }) + '\n',
    );
    writeFileSync(generated, JSON.stringify({ text: 'no secret', secrets: [] }) + '\n');
    const lines: string[] = [];
    await evaluateSecrets(data, { write: (l) => lines.push(l), generatedPath: generated });
    assert.equal(lines.filter((l) => l.startsWith('overall')).length, 3);
    assert.ok(lines.some((l) => l.startsWith('combined: 2 rows')));
    assert.match(lines.find((l) => l.includes('GITHUB_TOKEN')) ?? '', /1\/1\s+1\.000/);
  });
});
