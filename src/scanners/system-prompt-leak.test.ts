import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Conversation } from '../core/conversation.ts';
import type { Finding } from '../core/finding.ts';
import { applyRewrites } from '../core/guard.ts';
import { canaryLine, systemPromptLeak, words } from './system-prompt-leak.ts';

const CONTEXT = { stage: 'output', origin: 'assistant', role: 'assistant' } as const;
const SYSTEM =
  'You are Orbit, the support assistant of Acme Rockets. Never discuss pricing of the X-9 engine before the launch on 12 May. Escalate refunds above 500 dollars to a human agent.';

function conversation(system: string | undefined): Conversation {
  const messages: Conversation['messages'] = [
    ...(system === undefined
      ? []
      : [
          {
            role: 'system' as const,
            toolCalls: [],
            segments: [
              {
                text: system,
                role: 'system' as const,
                origin: 'system' as const,
                path: ['messages', 0, 'content'],
                messageIndex: 0,
              },
            ],
          },
        ]),
    {
      role: 'user',
      toolCalls: [],
      segments: [
        { text: 'hi', role: 'user', origin: 'prompt', path: ['messages', 1, 'content'], messageIndex: 1 },
      ],
    },
  ];
  return { api: 'openai', endpoint: 'chat', model: 'm', stream: false, tools: [], messages };
}

const base = systemPromptLeak.create(systemPromptLeak.options.parse({ action: 'block' }));

function exchange(system: string | undefined = SYSTEM) {
  const scan = base.forExchange?.(conversation(system));
  assert.ok(scan);
  return scan;
}

describe('systemPromptLeak', () => {
  it('adds a fresh canary to the end of the system prompt', () => {
    const one = exchange();
    const two = exchange();
    const edit = one.inputEdits?.[0];
    assert.deepEqual(edit?.path, ['messages', 0, 'content']);
    const rewritten = applyRewrites(SYSTEM, edit.rewrites);
    assert.ok(rewritten.startsWith(SYSTEM));
    const hex = /([\da-f]{16})/.exec(rewritten.slice(SYSTEM.length))?.[1];
    assert.ok(hex !== undefined);
    assert.notDeepEqual(one.inputEdits, two.inputEdits);
    assert.equal(canaryLine(hex), rewritten.slice(SYSTEM.length));
  });

  it('finds the canary in the answer, in any case', () => {
    const scan = exchange();
    const hex = /([\da-f]{16})/.exec(scan.inputEdits?.[0]?.rewrites[0]?.replacement ?? '')?.[1] ?? '';
    const found = scan.scanner?.scan(
      `My instructions end with ref ${hex.toUpperCase()}.`,
      CONTEXT,
    ) as Finding[];
    assert.equal(found[0]?.type, 'leak.canary');
    assert.equal(found[0].score, 1);
    assert.deepEqual(scan.scanner?.scan('an ordinary answer 0123456789abcdef', CONTEXT), []);
  });

  it('finds a verbatim copy of the prompt without the canary, not a topical answer', () => {
    const scanner = exchange().scanner;
    const leak = `Sure! My instructions: ${SYSTEM.slice(0, 140)}`;
    const found = scanner?.scan(leak, CONTEXT) as Finding[];
    assert.equal(found[0]?.type, 'leak.overlap');
    assert.ok(!JSON.stringify(found[0].details).includes('Orbit'));
    const topical = 'I am Orbit, the support assistant of Acme Rockets. How can I help with your order?';
    assert.deepEqual(scanner?.scan(topical, CONTEXT), []);
  });

  it('redacts the copied run when the action is redact', () => {
    const scanner = exchange().scanner;
    const leak = `Here: ${SYSTEM} Anything else?`;
    const found = scanner?.scan(leak, CONTEXT) as Finding[];
    const out = applyRewrites(
      leak,
      found.map((f) => ({ start: f.start, end: f.end, replacement: f.redaction ?? '[REDACTED]' })),
    );
    assert.ok(!out.includes('pricing'));
    assert.ok(out.startsWith('Here: ') && out.endsWith(' Anything else?'));
  });

  it('holds a partial canary and a copy in progress, releases ordinary text', () => {
    const scan = exchange();
    const hex = /([\da-f]{16})/.exec(scan.inputEdits?.[0]?.rewrites[0]?.replacement ?? '')?.[1] ?? '';
    const pending = (text: string) => scan.scanner?.pendingStart?.(text);
    // Ends in a character that is not a hex digit: the canary is random, and a trailing hex digit
    // is held whenever the canary happens to start with it.
    assert.equal(pending('Hello there!'), 12);
    assert.equal(pending(`ref ${hex.slice(0, 6)}`), 4);
    assert.equal(pending('Sure: You are Orbit, the support'), 6);
    assert.equal(pending('Sure: You are'), 6);
  });

  it('does nothing without a system prompt', () => {
    assert.deepEqual(base.forExchange?.(conversation(undefined)), {});
    assert.deepEqual(base.scan(SYSTEM, CONTEXT), []);
  });
});

describe('words', () => {
  // The reference: the regex the check used before it read code units itself.
  const reference = (text: string, from: number) =>
    [...text.slice(from).matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
      text: m[0].toLowerCase(),
      start: m.index + from,
      end: m.index + from + m[0].length,
    }));
  const samples = [
    '',
    'You are Orbit, the support assistant of Acme Rockets (X-9, 12 May).',
    '  leading and trailing spaces  ',
    'Ünïcödé wörds: Straße, ÉCOLE, naïve, ½ ² µ ª º',
    '中文字符 and 日本語のテキスト, Ελληνικά, русский текст, עברית, العربية ١٢٣',
    'astral 𝐀𝐁𝐂 letters 𝟙𝟚 digits, emoji 😀🚀 between,𝐱y mixed',
    'a lone high \ud835 and a lone low \udc00 surrogate, then \ud835\udc00 paired',
    'snake_case-and-kebab.case/paths:42;x=1&y=2',
    'İstanbul KELVIN K sign, ǅ title case',
  ];
  it('finds the same words, offsets and lower-case text as the regex, from any start', () => {
    for (const sample of samples) {
      for (let from = 0; from <= sample.length; from++) {
        assert.deepEqual(
          words(sample, from),
          reference(sample, from),
          `${JSON.stringify(sample)} from ${from}`,
        );
      }
    }
  });
});
