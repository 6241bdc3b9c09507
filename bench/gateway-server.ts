import { pino } from 'pino';
import { configSchema } from '../src/config/schema.ts';
import { createGateway } from '../src/gateway/server.ts';
import { compileGuard } from '../src/policy/engine.ts';

/**
 * The gateway as its own process for the benchmark (so its CPU time can be read from /proc):
 * `gateway-server.ts UPSTREAM_URL on|off` — the built-in default policy, or scanning off.
 */
const [upstreamUrl, scanning] = process.argv.slice(2);
if (upstreamUrl === undefined) throw new Error('usage: gateway-server.ts UPSTREAM_URL on|off');
const config = configSchema.parse({
  server: { port: 0 },
  upstreams: [{ name: 'bench', baseUrl: upstreamUrl }],
});
const guard = compileGuard([], { scanning: scanning !== 'off' });
const gateway = createGateway({
  config,
  getGuard: () => guard,
  log: pino({ level: 'warn' }, pino.destination(2)),
});
const url = await gateway.listen();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => {
  void gateway.close().then(() => process.exit(0));
});
// Bench-only introspection over the IPC channel: the parent asks, this process answers its memory.
process.on('message', (message) => {
  if (message === 'memory') process.send?.(process.memoryUsage());
});
