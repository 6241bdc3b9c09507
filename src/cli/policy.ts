import type { Command } from 'commander';
import { formatPolicyError, loadPolicyFiles } from '../policy/load.ts';
import { formatPolicyTestReport, runPolicyTests } from '../policy/test-runner.ts';

async function validate(paths: readonly string[]): Promise<void> {
  const { policies, errors } = await loadPolicyFiles(paths);
  if (errors.length > 0) {
    for (const error of errors) process.stderr.write(formatPolicyError(error) + '\n');
    process.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}; no policy loaded\n`);
    process.exitCode = 1;
    return;
  }
  for (const p of policies) {
    process.stdout.write(`ok  ${p.name} (${p.policy.spec.mode}) ${p.file}:${p.line}\n`);
  }
}

async function test(paths: readonly string[]): Promise<void> {
  const report = await runPolicyTests(paths);
  process.stdout.write(formatPolicyTestReport(report) + '\n');
  if (!report.passed) process.exitCode = 1;
}

export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('Validate and test GuardrailPolicy files');
  policy
    .command('validate')
    .description('Check policy files or directories; print every error as file:line:col: field: message')
    .argument('<paths...>', 'policy files (*.yaml) or directories of them')
    .action(validate);
  policy
    .command('test')
    .description('Run the policy test cases (*.test.yaml beside each policy) and report each case')
    .argument('<paths...>', 'policy files, test files or directories')
    .action(test);
}
