/**
 * Policy engine cost, apart from the gateway: what `begin` + `checkInput` and an output `scan`
 * cost per request with the default policy (real scanners), and the engine's own overhead with
 * scanners that find nothing. `npx node bench/policy.ts` (or via `npm run bench` once listed).
 */
import type { Conversation } from '../src/core/conversation.ts';
import type { CheckDefinition } from '../src/core/scanner.ts';
import { checkOptions } from '../src/scanners/check-options.ts';
import { compileGuard } from '../src/policy/engine.ts';
import type { LoadedPolicy } from '../src/policy/load.ts';
import { API_VERSION, KIND } from '../src/policy/schema.ts';

const PROMPT = 'Please summarise the attached quarterly report and list the three biggest risks. '
  .repeat(13)
  .slice(0, 1024);
const ANSWER =
  'The report shows revenue growth of 4% with margins under pressure from logistics costs. '.repeat(12);

const conversation: Conversation = {
  api: 'openai',
  endpoint: 'chat',
  model: 'bench-model',
  stream: false,
  tools: [],
  messages: [
    {
      role: 'system',
      toolCalls: [],
      segments: [
        {
          text: 'You are a helpful analyst.',
          role: 'system',
          origin: 'system',
          path: ['messages', 0, 'content'],
          messageIndex: 0,
        },
      ],
    },
    {
      role: 'user',
      toolCalls: [],
      segments: [
        { text: PROMPT, role: 'user', origin: 'prompt', path: ['messages', 1, 'content'], messageIndex: 1 },
      ],
    },
  ],
};
const META = { requestId: 'bench', identity: 'anonymous' };

// Six checks that find nothing: what is left is the engine itself.
const idle: CheckDefinition[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((key, i) => ({
  key,
  stage: i < 4 ? 'input' : 'output',
  owasp: 'LLM01',
  summary: key,
  defaultOrigins: i < 4 ? ['prompt', 'system'] : ['assistant'],
  actions: ['allow', 'block'],
  options: checkOptions(['allow', 'block']),
  create: () => ({ id: key, maxFindingLength: 64, scan: () => [] }),
}));
const idlePolicy: LoadedPolicy = {
  name: 'idle',
  file: 'bench',
  line: 1,
  policy: {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: 'idle' },
    spec: {
      mode: 'enforce',
      match: { models: ['*'] },
      priority: 0,
      input: {
        a: { action: 'block' },
        b: { action: 'block' },
        c: { action: 'block' },
        d: { action: 'block' },
      },
      output: { e: { action: 'block' }, f: { action: 'block' } },
    },
  },
};

async function measure(
  label: string,
  iterations: number,
  once: () => Promise<unknown>,
  write: (line: string) => void,
) {
  for (let i = 0; i < Math.min(1000, iterations); i++) await once();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await once();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  const at = (q: number) => ((samples[Math.floor(q * (iterations - 1))] ?? 0) * 1000).toFixed(1);
  write(`${label}: p50 ${at(0.5)} µs, p99 ${at(0.99)} µs (${iterations} runs)`);
}

export async function run(write: (line: string) => void): Promise<void> {
  const engineOnly = compileGuard([idlePolicy], { checks: idle });
  await measure(
    'engine overhead, 4 input + 2 output checks, input (begin + checkInput)',
    50_000,
    () => engineOnly.begin(conversation, META).checkInput(),
    write,
  );
  await measure(
    'engine overhead, output scan of 1 KB',
    50_000,
    async () => engineOnly.begin(conversation, META).output.scan(ANSWER, 'assistant'),
    write,
  );

  const defaults = compileGuard([]);
  await measure(
    'default policy, 1 KB prompt (begin + checkInput)',
    5_000,
    () => defaults.begin(conversation, META).checkInput(),
    write,
  );
  await measure(
    'default policy, output scan of 1 KB',
    5_000,
    async () => defaults.begin(conversation, META).output.scan(ANSWER, 'assistant'),
    write,
  );
}

if (import.meta.main) await run((line) => process.stdout.write(`${line}\n`));
