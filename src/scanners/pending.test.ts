import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { secretsPendingStart, structuredPiiPendingStart } from './pending.ts';
import { createPiiDetector } from './pii.ts';
import { scanSecrets } from './secrets.ts';

const TEXTS = [
  'Use ghp_4aF9kLm2Qx7Rt1Zb8Vc3Yw6Nd0Hs5Jp2Ke9U to push, then AKIAIOSFODNN7EXAMPL2 for AWS.',
  'export OPENAI_API_KEY=sk-proj-4fT9xQ2mZ7vL1cR8bN3kW6yH0dJ5sG2aP9eU4iO7tY1rE3wQ and go',
  'postgres://admin:S3cr3tPassw0rd!@db.internal:5432/app is the DSN; password = "Tr0ub4dor&3xyz" too.',
  'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U done',
  `key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98Lh3rWq0nE0y2cT5i9kzX1b4v7QnJm8sR2pW6uYcZd3fHgTaKxLbNeVoPiUjMl\n-----END RSA PRIVATE KEY-----\nthanks`,
  'Hello there, nothing secret here at all.',
];

describe('secretsPendingStart', () => {
  it('releases plain words at once and holds tokens that may be secrets', () => {
    assert.equal(secretsPendingStart('Hello'), 5);
    assert.equal(secretsPendingStart('Hello there'), 11);
    assert.equal(secretsPendingStart('Use gh'), 4);
    assert.equal(secretsPendingStart('Use ghp_4aF9'), 4);
    assert.equal(secretsPendingStart('key AKI'), 4);
    assert.equal(secretsPendingStart('password: abc'), 10);
    assert.equal(secretsPendingStart('x -----BEGIN RSA PRIVATE KEY-----\nMIIE'), 2);
  });

  it('never releases text a later finding starts in: findings before the pending start are final', () => {
    for (const text of TEXTS) {
      const final = scanSecrets(text).findings;
      for (let cut = 1; cut <= text.length; cut++) {
        const prefix = text.slice(0, cut);
        const pending = secretsPendingStart(prefix);
        const settled = (list: readonly { start: number; end: number; type: string }[]) =>
          list.filter((f) => f.start < pending).map((f) => `${f.type}@${f.start}-${f.end}`);
        assert.deepEqual(
          settled(scanSecrets(prefix).findings),
          settled(final),
          `cut at ${cut} of ${JSON.stringify(text)}`,
        );
      }
    }
  });
});

describe('structuredPiiPendingStart', () => {
  const detect = createPiiDetector({
    entities: [
      'EMAIL_ADDRESS',
      'PHONE_NUMBER',
      'CREDIT_CARD',
      'IBAN_CODE',
      'US_SSN',
      'IP_ADDRESS',
      'URL_CREDENTIALS',
    ],
  });
  const TEXTS = [
    'Write to jane.doe@example.com or call +1 (415) 555-0132 today, my card is 4111 1111 1111 1111 thanks.',
    'IBAN DE89 3704 0044 0532 0130 00 and SSN 123-45-6789 from host 10.0.12.7 via https://bob:hunter2pass@db.example.com/x ok',
    'Hello there, nothing personal here at all, just words.',
  ];

  it('releases prose at once and holds what may still become a value', () => {
    assert.equal(structuredPiiPendingStart('Hello there '), 12);
    assert.equal(structuredPiiPendingStart('Hello there'), 6);
    assert.ok(structuredPiiPendingStart('call +1 415') <= 5);
  });

  it('never releases text a later finding starts in: findings before the pending start are final', () => {
    for (const text of TEXTS) {
      const final = detect(text);
      for (let cut = 1; cut <= text.length; cut++) {
        const prefix = text.slice(0, cut);
        const pending = structuredPiiPendingStart(prefix);
        const settled = (list: readonly { start: number; end: number; type: string; score: number }[]) =>
          list.filter((f) => f.start < pending).map((f) => `${f.type}@${f.start}-${f.end}:${f.score}`);
        assert.deepEqual(settled(detect(prefix)), settled(final), `cut at ${cut} of ${JSON.stringify(text)}`);
      }
    }
  });
});
