import type { Command } from 'commander';
import { scanPii } from '../scanners/pii.ts';
import { scanInjection } from '../scanners/prompt-injection.ts';
import { scanSecrets } from '../scanners/secrets.ts';
import { openInput, scanLines, type TaskScanner } from './scan-lines.ts';

/** The detectors behind `parapet scan --task`, each at its default threshold. */
const TASKS: Readonly<Record<string, TaskScanner>> = {
  injection: scanInjection,
  pii: scanPii,
  secrets: scanSecrets,
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
      const scan = TASKS[options.task];
      if (!scan) {
        throw new Error(`unknown task '${options.task}'; expected one of: ${Object.keys(TASKS).join(', ')}`);
      }
      const { stream, source } = openInput(options.input);
      await scanLines(stream, process.stdout, source, scan);
    });
}
