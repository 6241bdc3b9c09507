import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.ts';
import type { Config } from '../../src/config/schema.ts';
import { createGateway } from '../../src/gateway/server.ts';
import type { Gateway } from '../../src/gateway/server.ts';
import { compileGuard } from '../../src/policy/engine.ts';

export interface TestGateway {
  readonly url: string;
  readonly gateway: Gateway;
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * The real gateway on an ephemeral loopback port with the built-in default policy. `config` is
 * a config-file object (validated by the real schema), so tests exercise the same defaults.
 */
export async function startTestGateway(
  config: Record<string, unknown> = {},
  options: { scanning?: boolean } = {},
): Promise<TestGateway> {
  const server = (config.server ?? {}) as Record<string, unknown>;
  const parsed = configSchema.parse({ ...config, server: { host: '127.0.0.1', port: 0, ...server } });
  const guard = compileGuard([], { scanning: options.scanning ?? true });
  const gateway = createGateway({ config: parsed, getGuard: () => guard, log: pino({ level: 'silent' }) });
  const url = await gateway.listen();
  return { url, gateway, config: parsed, close: () => gateway.close() };
}

/** An upstream entry pointing at a fake model, with short timeouts so failures surface fast. */
export function upstream(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'fake', baseUrl, timeouts: { connectMs: 1000, headersMs: 2000, idleMs: 2000 }, ...extra };
}
