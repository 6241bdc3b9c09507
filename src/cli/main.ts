import { Command, CommanderError } from 'commander';
import { registerApprovalsCommand } from './approvals.ts';
import { registerEvalCommand } from './eval.ts';
import { registerPolicyCommand } from './policy.ts';
import { registerScanCommand } from './scan.ts';
import { registerServeCommand } from './serve.ts';

const program = new Command('parapet')
  .description('Parapet — the AI-aware security layer for LLMs')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerServeCommand(program);
registerPolicyCommand(program);
registerScanCommand(program);
registerEvalCommand(program);
registerApprovalsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`parapet: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
