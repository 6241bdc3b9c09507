import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeUnits } from './code-units.ts';

function expected(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}

test('codeUnits holds every UTF-16 code unit, lone surrogates included, for each text in turn', () => {
  const long = 'ab\u00e9'.repeat(3000);
  for (const text of ['', 'plain', 'x\ud800y\udc00z 😀 中文', long, 'plain', 'a slice'.slice(2)]) {
    const units = codeUnits(text);
    assert.ok(units.length > text.length);
    assert.deepEqual(Array.from(units.subarray(0, text.length)), expected(text));
  }
});

test('codeUnits answers the same text from the array it already holds', () => {
  const text = 'held text';
  const first = codeUnits(text);
  assert.equal(codeUnits(text), first);
  codeUnits('another text');
  assert.deepEqual(Array.from(codeUnits(text).subarray(0, text.length)), expected(text));
});
