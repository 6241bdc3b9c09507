import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPolicyError, loadPolicyFiles, parsePolicyText, type PolicyError } from './load.ts';

const HEAD = `apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata:
  name: support
`;

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly expect: Pick<PolicyError, 'line' | 'path' | 'code'> & { column?: number; message: RegExp };
}

const CASES: readonly Case[] = [
  {
    name: 'wrong apiVersion',
    yaml: `apiVersion: parapet.dev/v1\nkind: GuardrailPolicy\nmetadata: { name: a }\nspec: {}\n`,
    expect: {
      line: 1,
      column: 13,
      path: 'apiVersion',
      code: 'invalid_value',
      message: /^expected 'parapet\.dev\/v1alpha1', got 'parapet\.dev\/v1'$/,
    },
  },
  {
    name: 'wrong kind',
    yaml: `apiVersion: parapet.dev/v1alpha1\nkind: ConfigMap\nmetadata: { name: a }\nspec: {}\n`,
    expect: {
      line: 2,
      column: 7,
      path: 'kind',
      code: 'invalid_value',
      message: /expected 'GuardrailPolicy'/,
    },
  },
  {
    name: 'missing name points at metadata',
    yaml: `apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata:\n  labels: { team: a }\nspec: {}\n`,
    expect: {
      line: 3,
      column: 1,
      path: 'metadata.name',
      code: 'missing_field',
      message: /required field 'name' is missing: expected a string/,
    },
  },
  {
    name: 'name that is not a DNS-1123 name',
    yaml: `apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata:\n  name: Support_Bot\nspec: {}\n`,
    expect: {
      line: 4,
      column: 9,
      path: 'metadata.name',
      code: 'invalid_format',
      message: /DNS-1123.*got 'Support_Bot'/,
    },
  },
  {
    name: 'threshold of the wrong type',
    yaml: `${HEAD}spec:\n  input:\n    promptInjection: { action: block, threshold: high }\n`,
    expect: {
      line: 7,
      column: 50,
      path: 'spec.input.promptInjection.threshold',
      code: 'invalid_type',
      message: /^expected a number between 0 and 1, got 'high'$/,
    },
  },
  {
    name: 'threshold out of range',
    yaml: `${HEAD}spec:\n  input:\n    promptInjection:\n      action: block\n      threshold: 1.5\n`,
    expect: {
      line: 9,
      column: 18,
      path: 'spec.input.promptInjection.threshold',
      code: 'out_of_range',
      message: /^expected a number between 0 and 1, got 1\.5$/,
    },
  },
  {
    name: 'unknown check key, with a suggestion',
    yaml: `${HEAD}spec:\n  input:\n    promptInjecton: { action: block }\n`,
    expect: {
      line: 7,
      column: 5,
      path: 'spec.input.promptInjecton',
      code: 'unknown_check',
      message:
        /unknown input check 'promptInjecton' \(did you mean 'promptInjection'\?\); known input checks: promptInjection, indirectInjection/,
    },
  },
  {
    name: 'unknown field lists the known ones',
    yaml: `${HEAD}spec:\n  mode: enforce\n  limit: {}\n`,
    expect: {
      line: 7,
      column: 3,
      path: 'spec.limit',
      code: 'unknown_field',
      message:
        /unknown field 'limit' \(did you mean 'limits'\?\); expected one of: mode, match, priority, input, output, tools, limits/,
    },
  },
  {
    name: 'unknown check option',
    yaml: `${HEAD}spec:\n  input:\n    promptInjection: { action: block, treshold: 0.5 }\n`,
    expect: {
      line: 7,
      column: 39,
      path: 'spec.input.promptInjection.treshold',
      code: 'unknown_field',
      message: /did you mean 'threshold'/,
    },
  },
  {
    name: 'action the check does not support',
    yaml: `${HEAD}spec:\n  input:\n    promptInjection: { action: redact }\n`,
    expect: {
      line: 7,
      column: 32,
      path: 'spec.input.promptInjection.action',
      code: 'unsupported_action',
      message: /^check 'promptInjection' does not support action 'redact'; it supports allow, block$/,
    },
  },
  {
    name: 'missing action',
    yaml: `${HEAD}spec:\n  input:\n    promptInjection:\n      threshold: 0.5\n`,
    expect: {
      line: 7,
      column: 5,
      path: 'spec.input.promptInjection.action',
      code: 'missing_field',
      message: /required field 'action' is missing: expected one of 'allow', 'block'/,
    },
  },
  {
    name: 'bad mode',
    yaml: `${HEAD}spec:\n  mode: enforcing\n`,
    expect: {
      line: 6,
      column: 9,
      path: 'spec.mode',
      code: 'invalid_value',
      message: /one of 'enforce', 'monitor'/,
    },
  },
  {
    name: 'empty model list',
    yaml: `${HEAD}spec:\n  match:\n    models: []\n`,
    expect: {
      line: 7,
      column: 13,
      path: 'spec.match.models',
      code: 'out_of_range',
      message: /at least 1 item\(s\), got an empty list/,
    },
  },
  {
    name: 'CEL syntax error points into the expression',
    yaml: `${HEAD}spec:\n  tools:\n    rules:\n      - name: refund\n        action: approve\n        when: "args.amount >"\n`,
    expect: {
      line: 10,
      column: 29,
      path: 'spec.tools.rules[0].when',
      code: 'invalid_condition',
      message: /invalid CEL condition at column 14/,
    },
  },
  {
    name: 'limits must be positive integers',
    yaml: `${HEAD}spec:\n  limits:\n    requestsPerMinute: 2.5\n`,
    expect: {
      line: 7,
      column: 24,
      path: 'spec.limits.requestsPerMinute',
      code: 'invalid_type',
      message: /expected an integer of at least 1, got 2\.5/,
    },
  },
  {
    name: 'YAML syntax error',
    yaml: `${HEAD}spec:\n  input: [a\n`,
    expect: { line: 7, path: '', code: 'yaml_syntax', message: /^invalid YAML: / },
  },
  {
    name: 'duplicate YAML key',
    yaml: `${HEAD}spec:\n  mode: enforce\n  mode: monitor\n`,
    expect: { line: 7, path: '', code: 'yaml_syntax', message: /unique/i },
  },
  {
    name: 'the reserved name of the default policy',
    yaml: `apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata:\n  name: parapet-default\nspec: {}\n`,
    expect: {
      line: 4,
      column: 9,
      path: 'metadata.name',
      code: 'invalid_value',
      message: /built-in default policy/,
    },
  },
  {
    name: 'an empty file',
    yaml: '# nothing yet\n',
    expect: { line: 1, column: 1, path: '', code: 'empty_file', message: /no GuardrailPolicy document/ },
  },
  {
    name: 'a document that is not a mapping',
    yaml: `- apiVersion: parapet.dev/v1alpha1\n`,
    expect: { line: 1, column: 1, path: '', code: 'not_a_policy', message: /GuardrailPolicy mapping/ },
  },
];

describe('policy validation errors', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { policies, errors } = parsePolicyText(c.yaml, 'p.yaml');
      assert.equal(policies.length, 0);
      assert.equal(errors.length, 1, errors.map(formatPolicyError).join('\n'));
      const [e] = errors;
      assert.ok(e);
      assert.equal(e.file, 'p.yaml');
      assert.equal(e.line, c.expect.line, formatPolicyError(e));
      if (c.expect.column !== undefined) assert.equal(e.column, c.expect.column, formatPolicyError(e));
      assert.equal(e.path, c.expect.path);
      assert.equal(e.code, c.expect.code);
      assert.match(e.message, c.expect.message);
    });
  }

  it('reports every error of a document in one pass, each on its own line', () => {
    const yaml = [
      'apiVersion: parapet.dev/v1alpha1',
      'kind: GuardrailPolicy',
      'metadata:',
      '  name: Bad_Name',
      'spec:',
      '  mode: sometimes',
      '  input:',
      '    promptInjection: { action: block, threshold: 7 }',
      '    piii: { action: block }',
      '  limits:',
      '    concurrency: 0',
    ].join('\n');
    const { errors } = parsePolicyText(yaml, 'all.yaml');
    assert.deepEqual(
      errors.map((e) => [e.line, e.path, e.code]),
      [
        [4, 'metadata.name', 'invalid_format'],
        [6, 'spec.mode', 'invalid_value'],
        [8, 'spec.input.promptInjection.threshold', 'out_of_range'],
        [9, 'spec.input.piii', 'unknown_check'],
        [11, 'spec.limits.concurrency', 'out_of_range'],
      ],
    );
  });

  it('validates every document of a multi-document file and locates errors in later ones', () => {
    const yaml = `${HEAD}spec: {}\n---\n${HEAD.replace('support', 'other')}spec:\n  mode: loud\n`;
    const { policies, errors } = parsePolicyText(yaml, 'multi.yaml');
    assert.deepEqual(
      policies.map((p) => [p.name, p.line]),
      [['support', 1]],
    );
    assert.deepEqual(
      errors.map((e) => [e.line, e.path]),
      [[12, 'spec.mode']],
    );
  });

  it('fills defaults and names namespaced policies namespace/name', () => {
    const yaml = `apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata: { name: a, namespace: team-a }\nspec: {}\n`;
    const { policies, errors } = parsePolicyText(yaml, 'a.yaml');
    assert.deepEqual(errors, []);
    const [p] = policies;
    assert.ok(p);
    assert.equal(p.name, 'team-a/a');
    assert.equal(p.policy.spec.mode, 'enforce');
    assert.deepEqual(p.policy.spec.match.models, ['*']);
    assert.equal(p.policy.spec.priority, 0);
  });

  it('suggests the other stage for a check put under the wrong one', () => {
    const { errors } = parsePolicyText(
      `${HEAD}spec:\n  output:\n    promptInjection: { action: block }\n`,
      'p.yaml',
    );
    // promptInjection is an input check; until some output check has that key, say where it belongs.
    assert.match(errors[0]?.message ?? '', /'promptInjection' is an input check: put it under spec\.input/);
  });

  it('formats errors as file:line:col: path: message', () => {
    const e: PolicyError = {
      file: 'p.yaml',
      line: 7,
      column: 50,
      path: 'spec.input.promptInjection.threshold',
      message: "expected a number between 0 and 1, got 'high'",
      code: 'invalid_type',
    };
    assert.equal(
      formatPolicyError(e),
      "p.yaml:7:50: spec.input.promptInjection.threshold: expected a number between 0 and 1, got 'high'",
    );
    assert.equal(
      formatPolicyError({ ...e, line: 0, column: 0, path: '', message: 'no such file' }),
      'p.yaml: no such file',
    );
  });
});

describe('loadPolicyFiles', () => {
  async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'parapet-policy-'));
    try {
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const policy = (name: string, spec = '{}') =>
    `apiVersion: parapet.dev/v1alpha1\nkind: GuardrailPolicy\nmetadata:\n  name: ${name}\nspec: ${spec}\n`;

  it('reads a directory in name order, skipping tests, hidden and non-YAML files', async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, 'b.yml'), policy('b'));
      await writeFile(join(dir, 'a.yaml'), policy('a'));
      await writeFile(join(dir, 'a.test.yaml'), 'cases: []\n');
      await writeFile(join(dir, '.hidden.yaml'), 'not: a policy\n');
      await writeFile(join(dir, 'README.md'), '# policies\n');
      await mkdir(join(dir, 'nested'));
      const result = await loadPolicyFiles([dir]);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(
        result.policies.map((p) => [p.name, p.file]),
        [
          ['a', join(dir, 'a.yaml')],
          ['b', join(dir, 'b.yml')],
        ],
      );
      assert.match(result.digest, /^[0-9a-f]{64}$/);
    });
  });

  it('collects errors across files in one pass: syntax, schema, duplicates, missing paths', async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, '1.yaml'), policy('dup'));
      await writeFile(join(dir, '2.yaml'), `${policy('dup')}---\n${policy('bad', '\n  mode: x')}`);
      await writeFile(join(dir, '3.yaml'), 'apiVersion: [\n');
      const missing = join(dir, 'missing.yaml');
      const result = await loadPolicyFiles([dir, missing]);
      assert.deepEqual(
        result.errors.map((e) => [e.file, e.line, e.path, e.code]),
        [
          [missing, 0, '', 'io_error'],
          [join(dir, '2.yaml'), 12, 'spec.mode', 'invalid_value'],
          [join(dir, '3.yaml'), 2, '', 'yaml_syntax'],
          [join(dir, '2.yaml'), 4, 'metadata.name', 'duplicate_name'],
        ],
      );
      assert.match(
        result.errors[3]?.message ?? '',
        /duplicate policy name 'dup': first defined at .*1\.yaml:1/,
      );
      assert.deepEqual(
        result.policies.map((p) => p.name),
        ['dup'],
      );
    });
  });

  it('reports an empty directory and reads a file named twice once', async () => {
    await withDir(async (dir) => {
      const empty = join(dir, 'empty');
      await mkdir(empty);
      await writeFile(join(dir, 'p.yaml'), policy('p'));
      const result = await loadPolicyFiles([empty, join(dir, 'p.yaml'), dir]);
      assert.deepEqual(
        result.errors.map((e) => e.code),
        ['no_policy_files'],
      );
      assert.deepEqual(
        result.policies.map((p) => p.name),
        ['p'],
      );
    });
  });

  it('the digest changes with the text and only with it', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'p.yaml');
      await writeFile(file, policy('p'));
      const first = await loadPolicyFiles([file]);
      const again = await loadPolicyFiles([file]);
      await writeFile(file, policy('p', '{ mode: monitor }'));
      const changed = await loadPolicyFiles([file]);
      assert.equal(first.digest, again.digest);
      assert.notEqual(first.digest, changed.digest);
    });
  });
});
