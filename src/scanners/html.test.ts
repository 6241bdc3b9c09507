import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../core/finding.ts';
import { applyRewrites } from '../core/guard.ts';
import { createHtmlScanner } from './html.ts';

const CONTEXT = { stage: 'output', origin: 'assistant', role: 'assistant' } as const;

function neutralised(text: string, tags: 'dangerous' | 'all' = 'dangerous'): string {
  const findings = createHtmlScanner({ tags }).scan(text, CONTEXT) as Finding[];
  return applyRewrites(
    text,
    findings.map((f) => ({ start: f.start, end: f.end, replacement: f.redaction ?? '' })),
  );
}

describe('html', () => {
  const cases: readonly [string, string][] = [
    ['a <script>alert(1)</script> b', 'a &lt;script>alert(1)&lt;/script> b'],
    ['<img src=x onerror="alert(1)">', '&lt;img src=x onerror="alert(1)">'],
    ['<a href="javascript:alert(1)">x</a>', '&lt;a href="javascript:alert(1)">x</a>'],
    ['<iframe srcdoc="<b>"></iframe>', '&lt;iframe srcdoc="<b>">&lt;/iframe>'],
    ['plain <b>bold</b> and 1 < 2 > 0', 'plain <b>bold</b> and 1 < 2 > 0'],
    ['<SVG/onload=alert(1)>', '&lt;SVG/onload=alert(1)>'],
  ];
  for (const [text, out] of cases) {
    it(`neutralises ${JSON.stringify(text)}`, () => {
      assert.equal(neutralised(text), out);
    });
  }

  it('escapes every tag with tags: all', () => {
    assert.equal(neutralised('<b>x</b>', 'all'), '&lt;b>x&lt;/b>');
  });

  it('holds an unclosed tag', () => {
    const scanner = createHtmlScanner({});
    assert.equal(scanner.pendingStart?.('text <img src=x '), 5);
    assert.equal(scanner.pendingStart('text <b>ok</b>'), 14);
  });
});
