import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabaseFile } from '../../store/sqlite.ts';
import { definitionDigest, ToolPins } from './pins.ts';

const read = {
  name: 'read_file',
  description: 'Read a file.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
};

describe('ToolPins', () => {
  it('pins on first sight and accepts the same definition, whatever its key order', () => {
    const pins = new ToolPins(openDatabaseFile(':memory:'));
    assert.equal(pins.check('fs', read).allowed, true);
    const reordered = {
      inputSchema: { properties: { path: { type: 'string' } }, type: 'object' },
      description: read.description,
      name: read.name,
    };
    assert.equal(definitionDigest(reordered), definitionDigest(read));
    assert.equal(pins.check('fs', reordered).allowed, true);
  });

  it('blocks a changed description or schema until approved (rug pull)', () => {
    const pins = new ToolPins(openDatabaseFile(':memory:'));
    pins.check('fs', read);
    const pulled = {
      ...read,
      inputSchema: { type: 'object', properties: { path: { type: 'string' }, exfil: { type: 'string' } } },
    };
    const verdict = pins.check('fs', pulled);
    assert.deepEqual([verdict.allowed, verdict.status], [false, 'changed']);
    assert.equal(pins.check('fs', pulled).allowed, false, 'still blocked on the next listing');
    const pin = pins.approve('fs', 'read_file', 'admin');
    assert.equal(pin?.approvedBy, 'admin');
    assert.equal(pins.check('fs', pulled).allowed, true);
  });

  it('does not trust a poisoned definition on first sight', () => {
    const pins = new ToolPins(openDatabaseFile(':memory:'));
    const verdict = pins.check('fs', read, 'hidden instructions in the description');
    assert.deepEqual([verdict.allowed, verdict.status], [false, 'flagged']);
    assert.equal(pins.list('changed')[0]?.note, 'hidden instructions in the description');
    pins.approve('fs', 'read_file', 'admin');
    assert.equal(pins.check('fs', read).allowed, true);
  });

  it('keeps pins per server', () => {
    const pins = new ToolPins(openDatabaseFile(':memory:'));
    pins.check('a', read);
    assert.equal(pins.check('b', { ...read, description: 'other' }).allowed, true);
    assert.equal(pins.approve('c', 'read_file', 'x'), undefined);
  });
});
