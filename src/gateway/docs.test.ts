import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from '../core/errors.ts';
import { configSchema, serverSchema, upstreamSchema, upstreamTimeoutsSchema } from '../config/schema.ts';

const doc = readFileSync(new URL('../../docs/gateway.md', import.meta.url), 'utf8');

/** Rows of the errors table: `| \`code\` | status | \`type\` | when |`. */
function documentedErrors(): Map<string, { status: number; type: string }> {
  const rows = new Map<string, { status: number; type: string }>();
  for (const match of doc.matchAll(/^\| `(\w+)` +\| (\d{3}) +\| `(\w+)` +\|/gm)) {
    rows.set(match[1]!, { status: Number(match[2]), type: match[3]! });
  }
  return rows;
}

describe('docs/gateway.md', () => {
  it('documents every error code with its status and type, and no code that does not exist', () => {
    const rows = documentedErrors();
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      assert.deepEqual(rows.get(code), { status: entry.status, type: entry.type }, `error code ${code}`);
    }
    for (const code of rows.keys())
      assert.ok(code in ERROR_CATALOGUE, `documented code ${code} is not in the catalogue`);
  });

  it('documents every config field in the reference table', () => {
    const fields = [
      ...Object.keys(serverSchema.shape).map((k) => `server.${k}`),
      ...Object.keys(upstreamSchema.shape)
        .filter((k) => k !== 'timeouts')
        .map((k) => `upstreams[].${k}`),
      ...Object.keys(upstreamTimeoutsSchema.shape).map((k) => `upstreams[].timeouts.${k}`),
      ...Object.keys(configSchema.shape).filter((k) => k !== 'server' && k !== 'upstreams' && k !== 'log'),
      'log.level',
    ];
    for (const field of fields)
      assert.ok(doc.includes(`| \`${field}\``), `config field ${field} is documented`);
  });
});
