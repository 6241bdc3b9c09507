import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParapetError } from '../core/errors.ts';
import { compileGlob, createRouter, upstreamFailure } from './upstream.ts';
import type { Upstream } from './upstream.ts';

describe('compileGlob', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'anything', true],
    ['gpt-4o', 'gpt-4o', true],
    ['gpt-4o', 'gpt-4o-mini', false],
    ['gpt-*', 'gpt-4o-mini', true],
    ['gpt-*', 'chatgpt-4o', false],
    ['*-mini', 'gpt-4o-mini', true],
    ['claude-?-haiku', 'claude-3-haiku', true],
    ['claude-?-haiku', 'claude-35-haiku', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['llama.3*', 'llama-3-8b', false],
    ['*', '', true],
    ['a*', '', false],
  ];
  for (const [glob, name, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(name)}`, () => {
      assert.equal(compileGlob(glob)(name), expected);
    });
  }
});

const fakeUpstream = (name: string): Upstream => ({
  name,
  apis: ['openai'],
  send: () => Promise.reject(new Error('not called')),
  close: () => Promise.resolve(),
});

describe('createRouter', () => {
  it('routes to the first matching upstream, then the fallback, and lists literal names', () => {
    const router = createRouter(
      [
        { upstream: fakeUpstream('claude'), models: ['claude-*'] },
        { upstream: fakeUpstream('local'), models: ['llama-3', 'mistral-*'] },
        { upstream: fakeUpstream('catch-all'), models: ['*'] },
      ],
      { upstream: fakeUpstream('demo'), models: ['parapet-demo'] },
    );
    assert.equal(router.route('claude-3-opus')?.name, 'claude');
    assert.equal(router.route('llama-3')?.name, 'local');
    assert.equal(router.route('parapet-demo')?.name, 'catch-all');
    assert.deepEqual(router.literalModels(), ['llama-3', 'parapet-demo']);
    const narrow = createRouter([{ upstream: fakeUpstream('local'), models: ['llama-*'] }]);
    assert.equal(narrow.route('gpt-4o'), undefined);
  });
});

describe('upstreamFailure', () => {
  const config = { name: 'vllm', timeouts: { connectMs: 100, headersMs: 200, idleMs: 300 } };
  const coded = (code: string, wrap = false): Error => {
    const error = Object.assign(new Error('x'), { code });
    return wrap ? new Error('fetch failed', { cause: error }) : error;
  };

  it('maps timeouts to 504 naming the bound that fired', () => {
    const cases: [string, RegExp][] = [
      ['UND_ERR_CONNECT_TIMEOUT', /connect within 100 ms/],
      ['UND_ERR_HEADERS_TIMEOUT', /answer within 200 ms/],
      ['UND_ERR_BODY_TIMEOUT', /send data within 300 ms/],
    ];
    for (const [code, message] of cases) {
      const failure = upstreamFailure(coded(code), config);
      assert.ok(failure instanceof ParapetError);
      assert.equal(failure.code, 'upstream_timeout');
      assert.equal(failure.status, 504);
      assert.match(failure.message, message);
      assert.equal(failure.details.upstream, 'vllm');
    }
  });

  it('maps connection failures, wrapped or aggregated, to 502 upstream_unavailable', () => {
    for (const error of [
      coded('ECONNREFUSED'),
      coded('ECONNRESET', true),
      new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect'),
    ]) {
      const failure = upstreamFailure(error, config);
      assert.ok(failure instanceof ParapetError);
      assert.equal(failure.code, 'upstream_unavailable');
      assert.equal(failure.status, 502);
    }
  });

  it('leaves aborts and catalogue errors as they are', () => {
    const abort = new DOMException('aborted', 'AbortError');
    assert.equal(upstreamFailure(abort, config), abort);
    const own = new ParapetError('upstream_error', 'bad');
    assert.equal(upstreamFailure(own, config), own);
  });
});
