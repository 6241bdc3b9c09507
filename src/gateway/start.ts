import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createAgency, type Agency } from '../agency/index.ts';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { resolveConfig } from '../config/load.ts';
import type { CliOptions } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { compileGuard } from '../policy/engine.ts';
import { formatPolicyError, parsePolicyText } from '../policy/load.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { PolicyLoadError, PolicyStore } from '../policy/watch.ts';
import { createMetrics } from './metrics.ts';
import { createGateway } from './server.ts';
import type { Gateway } from './server.ts';

export interface RunningGateway {
  readonly config: Config;
  readonly gateway: Gateway;
  readonly policies: PolicyStore;
  readonly log: Logger;
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  readonly url: string;
  /** Upstream names and their model globs, for the banner. */
  readonly routes: readonly { readonly name: string; readonly models: readonly string[] }[];
  readonly agency: Agency;
  /** The admin API token: PARAPET_ADMIN_TOKEN, or one generated for this run (`generated`). */
  readonly admin: { readonly token: string; readonly generated: boolean };
  /** Drain and stop (also what SIGINT/SIGTERM do). Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Install SIGINT/SIGTERM (drain and exit) and SIGHUP (reload policies) handlers. Default true. */
  readonly signals?: boolean;
  readonly log?: Logger;
}

/**
 * Resolve the configuration, load the policies (hot-reloaded), and serve. Throws ConfigError or
 * PolicyLoadError, each listing every problem with its location, before anything listens.
 */
export async function startGateway(cli: CliOptions, options: StartOptions = {}): Promise<RunningGateway> {
  const config = resolveConfig(cli);
  const log = options.log ?? pino({ level: config.log.level, base: { service: 'parapet' } });
  const inline = inlinePolicies(config.policy);
  const policies = await PolicyStore.open(config.policies, {
    compile: (loaded) => compileGuard([...inline, ...loaded]),
    onReload: (event) => {
      if (event.ok) log.info({ version: event.version, digest: event.digest }, 'policies reloaded');
      else
        log.error(
          { errors: event.errors.map(formatPolicyError) },
          'policy reload failed; keeping the last good policies',
        );
    },
  });
  // Tool governance reads the same policies; the combined list is rebuilt only when a reload swaps
  // the snapshot, so its compiled tool rules are cached per policy version.
  let toolSource: readonly LoadedPolicy[] | undefined;
  let toolPolicies: readonly LoadedPolicy[] = [];
  const currentPolicies = (): readonly LoadedPolicy[] => {
    if (policies.policies !== toolSource) {
      toolSource = policies.policies;
      toolPolicies = [...inline, ...toolSource];
    }
    return toolPolicies;
  };
  const admin = adminToken();
  const agency = createAgency({
    dataDir: config.dataDir,
    policies: currentPolicies,
    guard: () => policies.current(),
    adminToken: admin.token,
    mcp: config.mcp,
    webhookUrl: config.approvals.webhookUrl,
    log,
  });
  const gateway = createGateway({
    config,
    getGuard: () => policies.current(),
    log,
    metrics: createMetrics(),
    tools: agency.tools,
  });
  let url: string;
  try {
    await agency.register(gateway.app);
    url = await gateway.listen();
  } catch (error) {
    policies.close();
    await gateway.close();
    await agency.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info({ graceMs: config.server.shutdownGraceMs }, 'draining');
      policies.close();
      await gateway.close();
      await agency.close();
      removeSignals();
      log.info('stopped');
    })();
    return stopping;
  };
  const onStopSignal = (): void => {
    void stop();
  };
  const onReloadSignal = (): void => {
    void policies.reload();
  };
  const removeSignals = (): void => {
    process.off('SIGINT', onStopSignal).off('SIGTERM', onStopSignal).off('SIGHUP', onReloadSignal);
  };
  if (options.signals ?? true) {
    process.on('SIGINT', onStopSignal).on('SIGTERM', onStopSignal).on('SIGHUP', onReloadSignal);
  }
  log.info(
    { url, upstreams: config.upstreams.map((u) => u.name), policies: policies.policies.length },
    'listening',
  );
  return {
    config,
    gateway,
    policies,
    log,
    url,
    routes: config.upstreams.map((u) => ({ name: u.name, models: u.models })),
    agency,
    admin,
    stop,
  };
}

/**
 * The admin API (approvals, MCP pins) is always protected. Without PARAPET_ADMIN_TOKEN a random
 * token is made for this run and shown once on the console, never logged.
 */
function adminToken(): { token: string; generated: boolean } {
  const fromEnv = process.env['PARAPET_ADMIN_TOKEN'];
  if (fromEnv !== undefined && fromEnv !== '') return { token: fromEnv, generated: false };
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** Policy documents written inline in the config file, validated like files. */
function inlinePolicies(documents: readonly unknown[]): LoadedPolicy[] {
  const loaded: LoadedPolicy[] = [];
  const errors = documents.flatMap((document, index) => {
    const result = parsePolicyText(stringify(document), `<config policy[${index}]>`);
    loaded.push(...result.policies);
    return result.errors;
  });
  if (errors.length > 0) throw new PolicyLoadError(errors);
  return loaded;
}
