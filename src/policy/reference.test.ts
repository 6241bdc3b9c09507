import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../scanners/index.ts';
import { formatPolicyError, loadPolicyFiles, POLICY_ERROR_CODES } from './load.ts';
import { checksReference, checksSection, REFERENCE_FILE, tableRows } from './reference.ts';

const DOC = readFileSync(REFERENCE_FILE, 'utf8');
const EXAMPLES = fileURLToPath(new URL('../../examples/policies/', import.meta.url));

describe('docs/policy-reference.md', () => {
  it('lists every registered check, as the registry describes it', () => {
    const section = checksSection(DOC);
    assert.ok(section !== undefined, 'the generated checks section is missing');
    const documented = tableRows(section);
    for (const check of CHECKS) {
      assert.ok(
        documented.some((row) => row[0] === `\`spec.${check.stage}.${check.key}\``),
        `spec.${check.stage}.${check.key} is not documented: run npx node src/policy/reference.ts --write`,
      );
    }
    assert.deepEqual(
      documented,
      tableRows(checksReference()),
      'run npx node src/policy/reference.ts --write',
    );
  });

  it('explains every policy error code', () => {
    const firstCells = new Set(tableRows(DOC).map((row) => row[0]));
    for (const code of POLICY_ERROR_CODES)
      assert.ok(firstCells.has(`\`${code}\``), `error code ${code} is not documented`);
  });
});

describe('examples/policies', () => {
  it('every example policy validates', async () => {
    const { policies, errors } = await loadPolicyFiles([EXAMPLES]);
    assert.deepEqual(errors.map(formatPolicyError), []);
    assert.ok(policies.length >= 3);
  });
});
