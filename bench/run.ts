/**
 * `npm run bench [-- NAME...]`: runs each benchmark listed here in turn and prints its lines.
 * Adding a benchmark is one file exporting `run(write)` and one line below.
 */
const BENCHES: readonly { readonly name: string; readonly module: string }[] = [
  { name: 'gateway', module: './gateway.ts' },
  { name: 'policy', module: './policy.ts' },
  { name: 'stream-guard', module: './stream-guard.ts' },
  { name: 'agency', module: './agency.ts' },
  { name: 'injection', module: './injection.ts' },
  { name: 'sensitive', module: './sensitive.ts' },
  { name: 'output', module: './output.ts' },
];

interface BenchModule {
  run(write: (line: string) => void): Promise<void>;
}

const only = process.argv.slice(2);
const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown bench: ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.name).join(', ')})\n`,
  );
  process.exit(2);
}
for (const bench of BENCHES) {
  if (only.length > 0 && !only.includes(bench.name)) continue;
  process.stdout.write(`\n== ${bench.name} ==\n`);
  const started = performance.now();
  const module = (await import(bench.module)) as BenchModule;
  await module.run((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`(${bench.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
