import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParapetError } from '../core/errors.ts';
import type { SseEvent } from '../core/provider.ts';
import { SseParser, parseSseStream, serializeEvent, sseEvent } from './sse.ts';

const STREAM = [
  ': keep-alive comment\n\n',
  'event: message_start\ndata: {"type":"message_start"}\n\n',
  'data: line one\r\ndata: line two\r\n\r\n',
  'id: 7\rdata: cr only\r\r',
  '\n\ndata: {"text":"caf\u00e9 \u{1F600}"}\n\n',
  'retry: 10\nunknownfield\ndata\n\n',
  'data: [DONE]\n\n',
].join('');

function parseAll(chunks: readonly string[]): SseEvent[] {
  const parser = new SseParser();
  const events = chunks.flatMap((c) => parser.push(c));
  return [...events, ...parser.end()];
}

function fields(events: readonly SseEvent[]): { event?: string; data: string; id?: string }[] {
  return events.map((e) => ({
    ...(e.event === undefined ? {} : { event: e.event }),
    data: e.data,
    ...(e.id === undefined ? {} : { id: e.id }),
  }));
}

describe('SseParser', () => {
  it('parses fields, multi-line data, comments and all line endings', () => {
    assert.deepEqual(fields(parseAll([STREAM])), [
      { data: '' },
      { event: 'message_start', data: '{"type":"message_start"}' },
      { data: 'line one\nline two' },
      { data: 'cr only', id: '7' },
      { data: '{"text":"caf\u00e9 \u{1F600}"}' },
      { data: '' },
      { data: '[DONE]' },
    ]);
  });

  it('attributes every input character to exactly one raw event', () => {
    assert.equal(
      parseAll([STREAM])
        .map((e) => e.raw)
        .join(''),
      STREAM,
    );
  });

  it('gives the same events wherever the input is split', () => {
    const whole = parseAll([STREAM]);
    for (let i = 0; i <= STREAM.length; i++) {
      assert.deepEqual(parseAll([STREAM.slice(0, i), STREAM.slice(i)]), whole, `split at ${i}`);
    }
  });

  it('gives the same events for random multi-way splits (seeded)', () => {
    const whole = parseAll([STREAM]);
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const chunks: string[] = [];
      let at = 0;
      while (at < STREAM.length) {
        const size = 1 + random(12);
        chunks.push(STREAM.slice(at, at + size));
        at += size;
      }
      assert.deepEqual(parseAll(chunks), whole, `chunks ${JSON.stringify(chunks)}`);
    }
  });

  it('returns an unterminated last event at end so no byte is lost', () => {
    const events = parseAll(['data: a\n\ndata: tail']);
    assert.deepEqual(fields(events), [{ data: 'a' }, { data: 'tail' }]);
    assert.equal(events.map((e) => e.raw).join(''), 'data: a\n\ndata: tail');
  });

  it('keeps a trailing CR pending until it knows whether an LF follows', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: x\r\n\r'), []);
    const events = parser.push('\n');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.raw, 'data: x\r\n\r\n');
  });

  it('ignores a leading byte-order mark when parsing but keeps it in raw', () => {
    const events = parseAll(['\uFEFFdata: x\n\n']);
    assert.deepEqual(fields(events), [{ data: 'x' }]);
    assert.equal(events[0]?.raw, '\uFEFFdata: x\n\n');
  });

  it('throws once one event grows past the limit, whether split or whole', () => {
    const big = `data: ${'x'.repeat(100)}\n\n`;
    assert.throws(() => new SseParser({ maxEventSize: 50 }).push(big), ParapetError);
    const parser = new SseParser({ maxEventSize: 50 });
    assert.throws(() => {
      for (let i = 0; i < big.length; i += 7) parser.push(big.slice(i, i + 7));
    }, /larger than 50/);
    // Many small events together are fine.
    assert.equal(new SseParser({ maxEventSize: 50 }).push('data: small\n\n'.repeat(100)).length, 100);
  });
});

describe('serializeEvent', () => {
  it('writes event, id and one data line per line, and parses back to the same fields', () => {
    const text = serializeEvent({ event: 'delta', id: '3', data: 'a\nb' });
    assert.equal(text, 'event: delta\nid: 3\ndata: a\ndata: b\n\n');
    assert.deepEqual(fields(parseAll([text])), [{ event: 'delta', data: 'a\nb', id: '3' }]);
    assert.equal(sseEvent({ data: 'x' }).raw, 'data: x\n\n');
  });
});

describe('parseSseStream', () => {
  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: caf\u00e9 \u{1F600}\n\n');
    function* body(): Generator<Uint8Array> {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const events: SseEvent[] = [];
    for await (const event of parseSseStream(body())) events.push(event);
    assert.deepEqual(fields(events), [{ data: 'caf\u00e9 \u{1F600}' }]);
  });
});
