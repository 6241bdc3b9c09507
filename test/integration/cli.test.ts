import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/parapet.js', import.meta.url));

function parapet(args: readonly string[]) {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

async function finish(
  child: ReturnType<typeof parapet>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('parapet scan (PRODUCT.md contract)', () => {
  it('answers each stdin line before the next one is sent, as a co-process', async () => {
    const child = parapet(['scan', '--task', 'secrets', '--input', '-']);
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ask = async (text: string) => {
      child.stdin.write(JSON.stringify({ text, id: 'extra fields are ignored' }) + '\n');
      const next = await answers.next();
      assert.equal(next.done, false);
      return JSON.parse(next.value) as { flagged: boolean; score: number; findings: unknown[] };
    };
    const token = 'ghp_' + '4aF9kLm2Qx7Rt1Zb8Vc3Yw6Nd0Hs5Jp2Ke9U';
    const clean = await ask('nothing to see here');
    assert.deepEqual(clean, { flagged: false, score: 0, findings: [] });
    const secret = await ask(`token: ${token}`);
    assert.equal(secret.flagged, true);
    assert.ok(secret.score > 0.5);
    assert.deepEqual(
      (secret.findings as { start: number; end: number }[]).map((f) => [f.start, f.end]),
      [[7, 7 + token.length]],
    );
    child.stdin.end();
    const { code } = await finish(child);
    assert.equal(code, 0);
  });

  it('stops with a non-zero exit and names the bad line', async () => {
    const child = parapet(['scan', '--task', 'injection', '--input', '-']);
    child.stdin.end('{"text":"hello"}\n{"text": 42}\n');
    const { code, stdout, stderr } = await finish(child);
    assert.equal(code, 1);
    assert.equal(stdout.trim().split('\n').length, 1);
    assert.match(stderr, /<stdin>:2: field "text" must be a string, got number/);
  });

  it('rejects an unknown task', async () => {
    const { code, stderr } = await finish(parapet(['scan', '--task', 'toxicity', '--input', '-']));
    assert.equal(code, 1);
    assert.match(stderr, /unknown task 'toxicity'; expected one of: injection, pii, secrets/);
  });
});

describe('parapet policy validate', () => {
  it('accepts the shared contract example as written', async () => {
    const example = fileURLToPath(new URL('../../../shared/examples/guardrail-policy.yaml', import.meta.url));
    const { code, stdout } = await finish(parapet(['policy', 'validate', example]));
    assert.equal(code, 0);
    assert.match(stdout, /ok {2}support-assistant \(enforce\)/);
  });

  it('prints every error with file:line:col and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata: { name: x }\nspec:\n  mode: sometimes\n  input:\n    promptInjection: { action: block, threshold: 7 }\n',
    );
    const { code, stderr } = await finish(parapet(['policy', 'validate', file]));
    assert.equal(code, 1);
    assert.match(stderr, /bad\.yaml:5:\d+: spec\.mode: /);
    assert.match(stderr, /bad\.yaml:7:\d+: spec\.input\.promptInjection\.threshold: /);
    assert.match(stderr, /2 errors; no policy loaded/);
  });
});

describe('parapet serve on Linux', () => {
  /** Starts `parapet serve` with `env`, waits for its banner, reads its environment from /proc. */
  async function servedEnvironment(env: NodeJS.ProcessEnv): Promise<string[]> {
    const dataDir = mkdtempSync(join(tmpdir(), 'parapet-serve-'));
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    try {
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('Parapet is guarding')) resolve();
        });
        child.once('exit', (code) => {
          reject(new Error(`serve exited with ${code}: ${stderr}`));
        });
      });
      // The pid spawn() returned is the serving process: the restart is in place (execve).
      return readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }

  const linux = process.platform === 'linux' ? {} : { skip: 'MALLOC_ARENA_MAX is set on Linux only' };

  it('runs with two malloc arenas unless told otherwise', linux, async () => {
    const env = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    assert.ok((await servedEnvironment(env)).includes('MALLOC_ARENA_MAX=2'));
    const chosen = await servedEnvironment({ ...env, MALLOC_ARENA_MAX: '4' });
    assert.ok(chosen.includes('MALLOC_ARENA_MAX=4'));
    assert.ok(!chosen.includes('MALLOC_ARENA_MAX=2'));
  });
});
