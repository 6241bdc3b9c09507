import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParapetError } from '../core/errors.ts';
import { applySegmentEdits, formatPath, getAtPath, setAtPath } from './json-path.ts';

const body = () => ({
  model: 'm',
  messages: [
    { role: 'system', content: 'be nice' },
    { role: 'user', content: [{ type: 'text', text: 'my key is sk-123 ok' }, { type: 'image_url' }] },
  ],
  extra: { keep: [1, 2, 3] },
});

describe('getAtPath / setAtPath', () => {
  it('reads nested values and returns undefined for missing or mistyped steps', () => {
    assert.equal(getAtPath(body(), ['messages', 1, 'content', 0, 'text']), 'my key is sk-123 ok');
    assert.equal(getAtPath(body(), ['messages', 5, 'content']), undefined);
    assert.equal(getAtPath(body(), ['messages', 'x']), undefined);
    assert.equal(getAtPath(body(), ['model', 0]), undefined);
    assert.equal(getAtPath(body(), ['toString']), undefined);
  });

  it('changes exactly the addressed value and nothing else', () => {
    const edited = body();
    setAtPath(edited, ['messages', 1, 'content', 0, 'text'], 'changed');
    const expected = body();
    expected.messages[1] = {
      role: 'user',
      content: [{ type: 'text', text: 'changed' }, { type: 'image_url' }],
    };
    assert.equal(JSON.stringify(edited), JSON.stringify(expected));
  });

  it('refuses to invent fields or replace the root', () => {
    assert.throws(() => {
      setAtPath(body(), ['messages', 9, 'content'], 'x');
    }, ParapetError);
    assert.throws(() => {
      setAtPath(body(), ['nope'], 'x');
    }, ParapetError);
    assert.throws(() => {
      setAtPath(body(), [], 'x');
    }, ParapetError);
  });
});

describe('applySegmentEdits', () => {
  it('applies span rewrites to the string at each path', () => {
    const edited = applySegmentEdits(body(), [
      {
        path: ['messages', 1, 'content', 0, 'text'],
        rewrites: [{ start: 10, end: 16, replacement: '[KEY]' }],
      },
      { path: ['messages', 0, 'content'], rewrites: [] },
    ]);
    const expected = body();
    expected.messages[1] = {
      role: 'user',
      content: [{ type: 'text', text: 'my key is [KEY] ok' }, { type: 'image_url' }],
    };
    assert.equal(JSON.stringify(edited), JSON.stringify(expected));
  });

  it('rewrites a JSON value through its serialisation and fails closed on broken JSON', () => {
    const anthropic = { content: [{ type: 'tool_use', input: { q: 'sk-123' } }] };
    // JSON.stringify → {"q":"sk-123"}: the secret is at 6..12.
    applySegmentEdits(anthropic, [
      { path: ['content', 0, 'input'], rewrites: [{ start: 6, end: 12, replacement: 'X' }] },
    ]);
    assert.deepEqual(anthropic.content[0]?.input, { q: 'X' });
    assert.throws(
      () =>
        applySegmentEdits(anthropic, [
          { path: ['content', 0, 'input'], rewrites: [{ start: 0, end: 1, replacement: '' }] },
        ]),
      /invalid JSON/,
    );
  });

  it('formats paths the way error params name fields', () => {
    assert.equal(formatPath(['messages', 2, 'content', 0, 'text']), 'messages[2].content[0].text');
  });
});
