import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findNames, spansOf, tokenize } from './names.ts';

const words = (text: string): string[] => {
  const t = tokenize(text, true);
  return Array.from(t.start, (s, i) => text.slice(s, t.end[i]));
};

describe('tokenize', () => {
  const cases: readonly [string, string[]][] = [
    ["O'Neil lives at Apt. 5", ["O'Neil", 'lives', 'at', 'Apt.', '5']],
    ['Jouko, Åsa & Müller-Lüdenscheidt!', ['Jouko', ',', 'Åsa', '&', 'Müller', '-', 'Lüdenscheidt', '!']],
    ['  ', []],
  ];
  for (const [text, expected] of cases)
    it(JSON.stringify(text), () => {
      assert.deepEqual(words(text), expected);
    });

  it('marks capitalised and numeric tokens and line starts', () => {
    const t = tokenize('hello World\n42 x', true);
    assert.deepEqual(Array.from(t.capitalOrDigit), [0, 1, 1, 0]);
    assert.deepEqual(Array.from(t.lineStart), [1, 0, 1, 0]);
  });

  it('hashes words case-insensitively and shapes case-sensitively', () => {
    const t = tokenize('Paris PARIS paris', true);
    assert.equal(t.word[0], t.word[1]);
    assert.equal(t.word[1], t.word[2]);
    assert.notEqual(t.shape[0], t.shape[1]);
  });
});

describe('spansOf', () => {
  it('joins B/I runs of one kind and splits on a new B', () => {
    const t = tokenize('Ann Lee met Bob', true);
    // B-PER I-PER O B-PER
    assert.deepEqual(spansOf(t, Uint8Array.from([1, 2, 0, 1])), [
      { kind: 1, start: 0, end: 7, firstToken: 0, lastToken: 1 },
      { kind: 1, start: 12, end: 15, firstToken: 3, lastToken: 3 },
    ]);
  });
});

describe('findNames (shipped model)', () => {
  const cases: readonly [string, string, string][] = [
    ['My name is John Smith and I live here.', 'PERSON', 'John Smith'],
    ['I work for Acme Corporation now', 'ORGANIZATION', 'Acme Corporation'],
    ['She lives in Berlin.', 'LOCATION', 'Berlin'],
  ];
  for (const [text, entity, value] of cases) {
    it(`${entity} in "${text}"`, () => {
      const found = findNames(text).filter((c) => c.entity === entity);
      assert.deepEqual(
        found.map((c) => text.slice(c.start, c.end)),
        [value],
      );
    });
  }

  it('never reports punctuation on its own (markdown tables)', () => {
    const table =
      '| Team | Coach |\n| --- | --- |\n| Florida Gators | Urban Meyer |\n| Alabama | Nick Saban |';
    for (const c of findNames(table)) assert.match(table.slice(c.start, c.end), /[\p{L}\p{N}]/u);
  });

  it('ignores Title Case prose', () => {
    assert.deepEqual(findNames('Please Summarize This Article About Climate Change'), []);
    assert.deepEqual(findNames('The Quick Brown Fox Jumps Over The Lazy Dog'), []);
  });

  it('reports no bare numbers and nothing in lower-case prose', () => {
    assert.deepEqual(findNames('The total is 1,234,567 dollars.'), []);
    assert.deepEqual(findNames('nothing capitalised in here at all'), []);
  });
});
