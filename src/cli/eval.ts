import type { Command } from 'commander';
import { evaluateInjection } from '../eval/injection.ts';
import { evaluatePii } from '../eval/pii.ts';
import { evaluateSecrets } from '../eval/secrets.ts';

const DATA_DIR = '../shared/data';

type Evaluator = (
  dataPath: string,
  write: (line: string) => void,
  folds: number | undefined,
) => Promise<void>;

const TASKS: Readonly<Record<string, { file: string; run: Evaluator }>> = {
  injection: {
    file: 'injection-dev.jsonl',
    run: (data, write, folds) => evaluateInjection(data, folds === undefined ? { write } : { write, folds }),
  },
  pii: { file: 'pii-dev.jsonl', run: (data, write) => evaluatePii(data, { write }) },
  secrets: { file: 'secrets-dev.jsonl', run: (data, write) => evaluateSecrets(data, { write }) },
};

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('Measure a detector on labelled JSON-lines data and print the metrics')
    .requiredOption('--task <task>', `what to evaluate: ${Object.keys(TASKS).join('|')}`)
    .option('--data <file>', `labelled data (default ${DATA_DIR}/<task>-dev.jsonl)`)
    .option('--folds <n>', 'cross-validation folds when the data overlaps the training data (injection)')
    .action(async (options: { task: string; data?: string; folds?: string }) => {
      const task = TASKS[options.task];
      if (!task) {
        throw new Error(`unknown task '${options.task}'; expected one of: ${Object.keys(TASKS).join(', ')}`);
      }
      const folds = options.folds === undefined ? undefined : Number(options.folds);
      if (folds !== undefined && (!Number.isInteger(folds) || folds < 2)) {
        throw new Error(`--folds must be an integer of at least 2, got '${options.folds ?? ''}'`);
      }
      await task.run(
        options.data ?? `${DATA_DIR}/${task.file}`,
        (line) => process.stdout.write(line + '\n'),
        folds,
      );
    });
}
