import type { Command } from 'commander';
import { promptInjection } from '../scanners/prompt-injection.ts';
import { openInput, scanLines, type TaskScanner } from './scan-lines.ts';

/** The scanners behind `parapet scan --task`, built once per run. */
const TASKS: Readonly<Record<string, () => TaskScanner>> = {
  injection: () => {
    const scanner = promptInjection.create({ action: 'block', threshold: 0 });
    return (text) => {
      const findings = scanner.scan(text, { stage: 'input', origin: 'prompt', role: 'user' });
      if (findings instanceof Promise) throw new Error('the injection scanner must be synchronous');
      const score = findings.reduce((max, f) => Math.max(max, f.score), 0);
      return { flagged: score >= 0.5, score, findings };
    };
  },
};

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('Scan JSON lines ({"text": ...}) and write one JSON result line per input, in order')
    .requiredOption('--task <task>', `what to detect: ${Object.keys(TASKS).join('|')}`)
    .requiredOption('--input <file>', 'JSON-lines file, or - for standard input (answers each line at once)')
    .addHelpText(
      'after',
      '\nOutput per line: {"flagged": bool, "score": number, "findings": [{"type", "start", "end", ...}]}\n' +
        'Extra input fields are ignored; blank lines are skipped; a bad line stops with an error naming it.',
    )
    .action(async (options: { task: string; input: string }) => {
      const makeScanner = TASKS[options.task];
      if (!makeScanner) {
        throw new Error(`unknown task '${options.task}'; expected one of: ${Object.keys(TASKS).join(', ')}`);
      }
      const { stream, source } = openInput(options.input);
      await scanLines(stream, process.stdout, source, makeScanner());
    });
}
