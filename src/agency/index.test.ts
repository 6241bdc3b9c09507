import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { parsePolicyText } from '../policy/load.ts';
import { createAgency, parseMcpFlag } from './index.ts';
import { mcpServerSchema } from './mcp/config.ts';

const POLICY = `
apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata: { name: agents }
spec:
  match: { models: ["gpt-*", "mcp/*"] }
  tools:
    default: deny
    rules: [{ name: search, action: allow }]
`;

describe('createAgency', () => {
  it('mounts the admin API and MCP routes and selects tool policies by model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-agency-'));
    const { policies } = parsePolicyText(POLICY, 'agents.yaml');
    const agency = createAgency({
      dataDir: dir,
      policies: () => policies,
      adminToken: 'token',
      mcp: [parseMcpFlag('docs=http://127.0.0.1:9/mcp')],
    });
    const app = Fastify();
    try {
      await agency.register(app);
      assert.equal((await app.inject({ method: 'GET', url: '/admin/approvals' })).statusCode, 401);
      assert.equal((await app.inject({ method: 'GET', url: '/mcp/docs' })).statusCode, 405);
      assert.equal((await app.inject({ method: 'GET', url: '/mcp/other' })).statusCode, 404);

      const begin = (model: string) =>
        agency.tools.begin({
          api: 'openai',
          endpoint: 'chat',
          conversation: { api: 'openai', endpoint: 'chat', model, stream: false, messages: [], tools: [] },
          body: {
            model,
            tools: [
              { type: 'function', function: { name: 'search' } },
              { type: 'function', function: { name: 'rm' } },
            ],
          },
          requestId: 'r',
          identity: 'anonymous',
          inputDecisions: [],
          signal: new AbortController().signal,
        });
      assert.deepEqual(begin('gpt-4o')?.removedTools, ['rm']);
      assert.equal(begin('llama3'), undefined, 'no policy with spec.tools matches: no tool governance');
    } finally {
      await app.close();
      await agency.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses --mcp NAME=URL and rejects malformed values', () => {
    assert.deepEqual(parseMcpFlag('fs=http://127.0.0.1:3000/mcp'), {
      name: 'fs',
      url: 'http://127.0.0.1:3000/mcp',
    });
    for (const bad of ['fs', '=http://x', 'a b=http://x', 'fs=not a url'])
      assert.throws(() => parseMcpFlag(bad), /NAME=URL/);
  });
});

describe('mcpServerSchema', () => {
  it('accepts an HTTP or a stdio server and rejects both, neither, or stdio options on HTTP', () => {
    assert.equal(mcpServerSchema.safeParse({ name: 'docs', url: 'http://127.0.0.1:3000/mcp' }).success, true);
    assert.equal(
      mcpServerSchema.safeParse({ name: 'fs', command: 'npx', args: ['server-fs', '.'] }).success,
      true,
    );
    assert.equal(mcpServerSchema.safeParse({ name: 'x' }).success, false);
    assert.equal(mcpServerSchema.safeParse({ name: 'x', url: 'http://a', command: 'b' }).success, false);
    assert.equal(mcpServerSchema.safeParse({ name: 'bad name', url: 'http://a' }).success, false);
    assert.equal(mcpServerSchema.safeParse({ name: 'x', url: 'http://a', args: ['-v'] }).success, false);
  });
});
