import { compileToolPolicy, type ToolCallInput, type ToolRuleSpec } from '../src/agency/tool-policy.ts';

/**
 * Tool-call decision speed: one call against 20 rules, where the deciding rule is the last one and
 * half of the rules before it carry CEL conditions that must be evaluated. Target: p50 ≤ 20 µs.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the bench/run.ts contract is async
export async function run(write: (line: string) => void): Promise<void> {
  const rules: ToolRuleSpec[] = [];
  for (let i = 0; i < 19; i++) {
    rules.push(
      i % 2 === 0
        ? {
            name: 'refund_*',
            action: 'approve',
            when: `args.amount > ${1000 + i} && identity.tenant == 'acme'`,
          }
        : { name: `other_tool_${i}`, action: 'deny' },
    );
  }
  rules.push({
    name: 'refund_order',
    action: 'allow',
    when: "args.reason.re2('^[a-z ]+$')",
    labels: ['sensitive'],
  });
  const policy = compileToolPolicy({ default: 'deny', rules }, { policy: 'bench', version: '1' });
  const input: ToolCallInput = {
    tool: 'refund_order',
    args: { order: 'A-1001', amount: 42.5, reason: 'damaged in transit', items: [1, 2, 3] },
    identity: { id: 'alice', tenant: 'acme' },
    request: { model: 'gpt-test', api: 'openai' },
    context: { untrusted: false, calls: {} },
  };
  if (policy.decideToolCall(input).action !== 'allow') throw new Error('bench policy misconfigured');

  const warmup = 20_000;
  for (let i = 0; i < warmup; i++) policy.decideToolCall(input);
  const samples = 50_000;
  const batch = 10;
  const timings: number[] = [];
  for (let i = 0; i < samples / batch; i++) {
    const start = performance.now();
    for (let j = 0; j < batch; j++) policy.decideToolCall(input);
    timings.push(((performance.now() - start) * 1000) / batch);
  }
  timings.sort((a, b) => a - b);
  const at = (q: number): number =>
    timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? NaN;
  write(
    `agency: decide one tool call against 20 rules (10 CEL conditions evaluated): p50 ${at(0.5).toFixed(2)} µs, p99 ${at(0.99).toFixed(2)} µs (target p50 ≤ 20 µs)`,
  );
}

if (import.meta.main) {
  await run((line) => {
    console.log(line);
  });
}
