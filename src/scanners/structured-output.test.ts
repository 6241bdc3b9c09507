import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../core/finding.ts';
import { openaiAdapter } from '../providers/openai.ts';
import { structuredOutput } from './structured-output.ts';

const CONTEXT = { stage: 'output', origin: 'assistant', role: 'assistant' } as const;
const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, temp: { type: 'number' } },
  required: ['city', 'temp'],
  additionalProperties: false,
};
const base = structuredOutput.create(structuredOutput.options.parse({ action: 'block' }));

function scannerFor(responseFormat: unknown) {
  const conversation = openaiAdapter.parseRequest('chat', {
    model: 'm',
    messages: [{ role: 'user', content: 'weather?' }],
    ...(responseFormat === undefined ? {} : { response_format: responseFormat }),
  });
  return base.forExchange?.(conversation).scanner;
}

const scan = (responseFormat: unknown, text: string) =>
  scannerFor(responseFormat)?.scan(text, CONTEXT) as readonly Finding[] | undefined;

describe('structuredOutput', () => {
  const format = { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA, strict: true } };

  it('passes an answer that follows the schema', () => {
    assert.deepEqual(scan(format, '{"city":"Paris","temp":3}'), []);
  });

  it('finds an answer that is not JSON or misses the schema, naming paths not values', () => {
    assert.equal(scan(format, 'Sure! {"city":"Paris"}')?.[0]?.type, 'structured.invalid_json');
    const [mismatch] = scan(format, '{"city":"Lyon-secret","extra":1}') ?? [];
    assert.equal(mismatch?.type, 'structured.schema_mismatch');
    assert.match(mismatch.reason, /temp/);
    assert.ok(!mismatch.reason.includes('Lyon-secret'));
  });

  it('treats json_object as any JSON object, and leaves requests without a schema alone', () => {
    assert.deepEqual(scan({ type: 'json_object' }, '{"a":1}'), []);
    assert.equal(scan({ type: 'json_object' }, '[1]')?.[0]?.type, 'structured.schema_mismatch');
    assert.equal(scannerFor(undefined), undefined);
    assert.equal(scannerFor({ type: 'text' }), undefined);
  });

  it('holds the whole structured answer while it streams', () => {
    assert.equal(scannerFor(format)?.pendingStart?.('{"city":'), 0);
  });
});
