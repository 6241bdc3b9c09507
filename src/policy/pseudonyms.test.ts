import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyRewrites } from '../core/guard.ts';
import { createPseudonymSession } from './pseudonyms.ts';

describe('createPseudonymSession', () => {
  it('numbers values per entity by first appearance; the same value keeps its placeholder', () => {
    const s = createPseudonymSession();
    assert.equal(s.placeholder('EMAIL_ADDRESS', 'a@x.test'), '<EMAIL_ADDRESS_1>');
    assert.equal(s.placeholder('PHONE_NUMBER', '+1 555 0100'), '<PHONE_NUMBER_1>');
    assert.equal(s.placeholder('EMAIL_ADDRESS', 'b@x.test'), '<EMAIL_ADDRESS_2>');
    assert.equal(s.placeholder('EMAIL_ADDRESS', 'a@x.test'), '<EMAIL_ADDRESS_1>');
    assert.equal(s.placeholder('pii.email', 'c@x.test'), '<PII_EMAIL_1>');
    assert.equal(s.maxPlaceholderLength, '<EMAIL_ADDRESS_1>'.length);
    assert.deepEqual([...s.values()].length, 4);
  });

  it('restores issued placeholders only, JSON-escaped in tool-call arguments', () => {
    const s = createPseudonymSession();
    s.placeholder('PERSON', 'Zoë "Z" O\'Neil');
    const text = 'Dear <PERSON_1>, not <PERSON_2>.';
    assert.equal(applyRewrites(text, s.restore(text, 'assistant')), 'Dear Zoë "Z" O\'Neil, not <PERSON_2>.');
    const args = '{"name":"<PERSON_1>"}';
    const restored = applyRewrites(args, s.restore(args, 'tool_call_arguments'));
    assert.deepEqual(JSON.parse(restored), { name: 'Zoë "Z" O\'Neil' });
  });

  it('reports a placeholder still arriving at the end of a text', () => {
    const s = createPseudonymSession();
    assert.equal(s.pendingStart('write <EMAIL'), 12, 'nothing issued, nothing pending');
    s.placeholder('EMAIL_ADDRESS', 'a@x.test');
    assert.equal(s.pendingStart('write <EMAIL'), 6);
    assert.equal(s.pendingStart('write <'), 6);
    assert.equal(s.pendingStart('write <EMAIL_ADDRESS_1>'), 23);
    assert.equal(s.pendingStart('1 < 2 and more'), 14);
  });
});
