import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonErrorOffset } from './json-error.ts';

describe('jsonErrorOffset', () => {
  const cases: [string, number | undefined][] = [
    ['{"a": [1, {"b": null}], "c": "x\\n\\u00e9"}', undefined],
    ['  [true, false, -1.5e3, "s"]  ', undefined],
    ['{"a": [}', 7],
    ['[1,]', 3],
    ['{"a": 1', 7],
    ['{"a" 1}', 5],
    ['{"a":1}x', 7],
    ['', 0],
    ['nul', 0],
    ['{"a":"\\q"}', 7],
    ['{a: 1}', 1],
    ['[[[[[[[[[[', 10],
    ['"tab\there"', 4],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => {
      assert.equal(jsonErrorOffset(text), expected);
      // Agrees with JSON.parse on validity.
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      assert.equal(expected === undefined, valid);
    });
  }

  it('handles deep nesting without recursion', () => {
    assert.equal(jsonErrorOffset('['.repeat(100_000) + ']'.repeat(100_000)), undefined);
  });
});
