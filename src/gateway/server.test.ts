import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParapetError } from '../core/errors.ts';
import { describeUnexpected, toParapetError } from './server.ts';

describe('toParapetError', () => {
  it('keeps catalogue errors and maps Fastify body errors to their codes', () => {
    const own = new ParapetError('policy_violation', 'blocked');
    assert.equal(toParapetError(own), own);
    const cases: [string, string][] = [
      ['FST_ERR_CTP_BODY_TOO_LARGE', 'body_too_large'],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'unsupported_media_type'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 'invalid_json'],
      ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'invalid_request'],
    ];
    for (const [code, expected] of cases) {
      assert.equal(toParapetError(Object.assign(new Error('x'), { code })).code, expected);
    }
  });

  it('turns anything else into internal_error without its message', () => {
    const failure = toParapetError(new TypeError('cannot read secret-customer-data of undefined'));
    assert.equal(failure.code, 'internal_error');
    assert.equal(failure.status, 500);
    assert.ok(!failure.message.includes('secret-customer-data'));
  });
});

describe('describeUnexpected', () => {
  it('logs name, code and stack frames but never the message', () => {
    let thrown: unknown;
    try {
      JSON.parse('{"prompt": "my password is hunter2"');
    } catch (error) {
      thrown = error;
    }
    const described = describeUnexpected(thrown);
    assert.equal(described.name, 'SyntaxError');
    assert.match(described.stack ?? '', /^\s+at /);
    assert.ok(!JSON.stringify(described).includes('hunter2'));
    assert.deepEqual(describeUnexpected('text'), { type: 'string' });
  });
});
