import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { InputLineError, parseInputLine, scanLines, type TaskScanner } from './scan-lines.ts';

// A scanner whose answer depends on the text, so order and content can be checked.
const lengthScanner: TaskScanner = (text) => ({
  flagged: text.includes('attack'),
  score: Math.min(1, text.length / 100),
  findings: text.includes('attack')
    ? [
        {
          type: 'test.attack',
          start: text.indexOf('attack'),
          end: text.indexOf('attack') + 6,
          score: 1,
          reason: 'r',
        },
      ]
    : [],
});

async function run(input: string): Promise<{ lines: unknown[]; error?: unknown }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  let error: unknown;
  try {
    await scanLines(Readable.from([input]), output, 'in.jsonl', lengthScanner);
  } catch (e) {
    error = e;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const lines =
    text === ''
      ? []
      : text
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown);
  return error === undefined ? { lines } : { lines, error };
}

describe('parseInputLine', () => {
  const cases: readonly [string, string][] = [
    ['{"text": 3}', 'in.jsonl:7: field "text" must be a string, got number'],
    ['{"txt": "a"}', 'in.jsonl:7: field "text" must be a string, got nothing'],
    ['["text"]', 'in.jsonl:7: expected a JSON object with a "text" field'],
    ['{"text": "a"', 'in.jsonl:7: not valid JSON'],
  ];
  for (const [line, message] of cases) {
    it(`rejects ${line}`, () => {
      assert.throws(
        () => parseInputLine(line, 'in.jsonl', 7),
        (e: unknown) => e instanceof InputLineError && e.message.startsWith(message) && e.lineNumber === 7,
      );
    });
  }
  it('ignores extra fields', () => {
    assert.equal(parseInputLine('{"text": "hi", "label": "benign", "id": 4}', 'f', 1), 'hi');
  });
});

describe('scanLines', () => {
  it('answers every line in order with the contract fields only', async () => {
    const { lines } = await run('{"text":"hello"}\n{"text":"an attack here","id":2}\n{"text":""}\n');
    assert.deepEqual(lines, [
      { flagged: false, score: 0.05, findings: [] },
      {
        flagged: true,
        score: 0.14,
        findings: [{ type: 'test.attack', start: 3, end: 9, score: 1, reason: 'r' }],
      },
      { flagged: false, score: 0, findings: [] },
    ]);
  });

  it('passes over blank lines but stops at a bad one, after answering the lines before it', async () => {
    const { lines, error } = await run('{"text":"a"}\n\n{"text":"b"}\r\n{"oops":1}\n{"text":"never"}\n');
    assert.equal(lines.length, 2);
    assert.ok(error instanceof InputLineError);
    assert.equal(error.lineNumber, 4);
  });
});
