import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.ts';
import { createGateway } from '../../src/gateway/server.ts';
import type { Gateway } from '../../src/gateway/server.ts';
import { compileGuard } from '../../src/policy/engine.ts';
import { parsePolicyText } from '../../src/policy/load.ts';
import { after, before } from 'node:test';
import { startFakeModel, type FakeModel } from './fake-model.ts';
import { upstream } from './harness.ts';

/**
 * The output-handling policy the integration tests run: the example policy's output keys, e-mail
 * pseudonymised on the way in. Models named `default-*` get the built-in default policy instead.
 */
export const OUTPUT_POLICY = `
apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata: { name: support }
spec:
  match: { models: ["gpt-test", "claude-test"] }
  input:
    pii: { action: pseudonymize, entities: [EMAIL_ADDRESS] }
    secrets: { action: block }
  output:
    secrets: { action: redact }
    links: { action: redact, allowHosts: ["docs.example.com"] }
    systemPromptLeak: { action: block }
    structuredOutput: { action: block }
`;

export interface OutputGateway {
  readonly url: string;
  readonly gateway: Gateway;
  close(): Promise<void>;
}

/** The real gateway, compiled as `parapet serve` compiles it (pseudonym sessions on). */
export async function startOutputGateway(
  fakeUrl: string,
  api: 'openai' | 'anthropic' = 'openai',
): Promise<OutputGateway> {
  const { policies, errors } = parsePolicyText(OUTPUT_POLICY, 'output-policy.yaml');
  if (errors.length > 0) throw new Error(`test policy is invalid: ${JSON.stringify(errors)}`);
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port: 0 },
    upstreams: [upstream(api === 'openai' ? `${fakeUrl}/v1` : fakeUrl, { api })],
  });
  const guard = compileGuard(policies);
  const gateway = createGateway({ config, getGuard: () => guard, log: pino({ level: 'silent' }) });
  const url = await gateway.listen();
  return { url, gateway, close: () => gateway.close() };
}

export interface OutputSuite<C> {
  fake: FakeModel;
  gw: OutputGateway;
  client: C;
}

/** A fake model, the output-checking gateway in front of it and an SDK client, for one describe block. */
export function useOutputGateway<C>(
  makeClient: (gatewayUrl: string) => C,
  api: 'openai' | 'anthropic' = 'openai',
): OutputSuite<C> {
  const suite = {} as OutputSuite<C>;
  before(async () => {
    suite.fake = await startFakeModel();
    suite.gw = await startOutputGateway(suite.fake.url, api);
    suite.client = makeClient(suite.gw.url);
  });
  after(async () => {
    await suite.gw.close();
    await suite.fake.close();
  });
  return suite;
}

/** An OpenAI chat stream whose deltas carry tool-call argument pieces for one call. */
export function openaiToolCallStream(name: string, pieces: readonly string[]): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [
    chunk(
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name, arguments: '' } }],
      },
      null,
    ),
    ...pieces.map((args) => chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }, null)),
    chunk({}, 'tool_calls'),
    'data: [DONE]\n\n',
  ];
}
