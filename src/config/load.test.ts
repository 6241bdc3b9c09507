import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, formatConfigProblem, resolveConfig } from './load.ts';

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-config-'));
  const file = join(dir, 'parapet.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map(formatConfigProblem);
  }
  assert.fail('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('gives the documented defaults with no file and no flags', () => {
    const config = resolveConfig({}, '/srv');
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.bodyLimitBytes, 4 * 1024 * 1024);
    assert.deepEqual(config.upstreams, []);
    assert.equal(config.dataDir, './.parapet');
  });

  it('resolves file paths against the config file and flags against the working directory', () => {
    const { dir, file } = configFile(
      [
        'policies: [policies/main.yaml]',
        'dataDir: state',
        'upstreams:',
        '  - name: vllm',
        '    baseUrl: http://vllm:8000/v1',
        '    apiKey: { file: keys/vllm }',
      ].join('\n'),
    );
    const config = resolveConfig({ config: file }, '/work');
    assert.deepEqual(config.policies, [join(dir, 'policies/main.yaml')]);
    assert.equal(config.dataDir, join(dir, 'state'));
    assert.deepEqual(config.upstreams[0]!.apiKey, { file: join(dir, 'keys/vllm') });
    assert.deepEqual(config.upstreams[0]!.models, ['*']);
    const flagged = resolveConfig(
      { config: file, policy: ['p.yaml'], dataDir: 'd', port: '9000', host: '0.0.0.0' },
      '/work',
    );
    assert.deepEqual(flagged.policies, ['/work/p.yaml']);
    assert.equal(flagged.dataDir, '/work/d');
    assert.equal(flagged.server.port, 9000);
    assert.equal(flagged.server.host, '0.0.0.0');
  });

  it('appends --upstream as the catch-all after the configured routes', () => {
    const { file } = configFile(
      'upstreams:\n  - { name: claude, models: ["claude-*"], baseUrl: "http://a:1", api: anthropic }\n',
    );
    const config = resolveConfig({ config: file, upstream: 'http://localhost:11434' });
    assert.deepEqual(
      config.upstreams.map((u) => [u.name, u.api, u.models, u.baseUrl]),
      [
        ['claude', 'anthropic', ['claude-*'], 'http://a:1'],
        ['default', 'openai', ['*'], 'http://localhost:11434'],
      ],
    );
    assert.equal(resolveConfig({ upstream: 'anthropic=http://x:2' }).upstreams[0]?.api, 'anthropic');
  });

  it('reports every problem with file, line, column and field in one pass', () => {
    const { file } = configFile(
      [
        'server:',
        '  port: 99999',
        '  bodyLimit: 10',
        'upstreams:',
        '  - name: a',
        '    baseUrl: not a url',
        '    apiKey: sk-inline',
      ].join('\n'),
    );
    const problems = problemsOf(() => resolveConfig({ config: file }));
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0] ?? '', new RegExp(`^${file}:2:9: server\\.port: `));
    assert.ok(
      problems.some((p) => p.startsWith(`${file}:3:3: server.bodyLimit: unknown key 'bodyLimit'`)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${file}:6:14: upstreams[0].baseUrl: `)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${file}:7:13: upstreams[0].apiKey: `)),
      problems.join('\n'),
    );
  });

  it('locates YAML syntax errors and rejects bad flags', () => {
    const { file } = configFile('server:\n  port: [1,\n');
    assert.match(
      problemsOf(() => resolveConfig({ config: file }))[0] ?? '',
      new RegExp(`^${file}:\\d+:\\d+: \\(root\\): `),
    );
    const flags = problemsOf(() => resolveConfig({ port: 'eighty', upstream: 'ftp://x' }));
    assert.equal(flags.length, 2);
    assert.match(flags[0] ?? '', /^<command line>: --port: /);
    assert.match(flags[1] ?? '', /^<command line>: --upstream: /);
  });

  it('names a missing config file', () => {
    assert.match(
      problemsOf(() => resolveConfig({ config: '/nonexistent/parapet.yaml' }))[0] ?? '',
      /cannot read the config file \(ENOENT\)/,
    );
  });
});
