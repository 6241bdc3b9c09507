import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { configSchema, serverSchema, upstreamSchema } from './schema.ts';
import type { Config, UpstreamConfig } from './schema.ts';
import { parseLocatedYaml } from './yaml-location.ts';
import { parseMcpFlag } from '../agency/mcp/config.ts';
import type { SourcePosition } from './yaml-location.ts';

/** `parapet serve` flags; each one overrides the config file. */
export interface CliOptions {
  readonly config?: string | undefined;
  /** `URL`, `openai=URL` or `anthropic=URL`: the catch-all upstream. */
  readonly upstream?: string | undefined;
  /** Policy files or directories; when given they replace the config file's `policies` list. */
  readonly policy?: readonly string[] | undefined;
  readonly port?: string | number | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
  /** `NAME=URL`, repeatable: streamable-HTTP MCP servers exposed at `/mcp/NAME`. */
  readonly mcp?: readonly string[] | undefined;
}

export interface ConfigProblem {
  /** The config file, or `<command line>` for a bad flag. */
  readonly file: string;
  readonly position?: SourcePosition | undefined;
  /** Dotted field path (`upstreams[0].baseUrl`) or the flag (`--port`). */
  readonly field: string;
  readonly message: string;
}

/** Every problem found in one pass, so an operator fixes them all at once. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map(formatConfigProblem).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** `parapet.yaml:12:5: upstreams[0].baseUrl: Invalid URL` — the same shape as policy errors. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.position
    ? `${problem.file}:${problem.position.line}:${problem.position.column}`
    : problem.file;
  return `${where}: ${problem.field === '' ? '(root)' : problem.field}: ${problem.message}`;
}

const COMMAND_LINE = '<command line>';

/**
 * The effective configuration: the config file (if any) validated with located errors, then the
 * CLI flags on top. Relative paths in the file resolve against the file's directory; flag paths
 * against the working directory. Throws ConfigError listing every problem.
 */
export function resolveConfig(cli: CliOptions = {}, cwd: string = process.cwd()): Config {
  const problems: ConfigProblem[] = [];
  let config = configSchema.parse({});
  if (cli.config !== undefined) {
    const file = resolve(cwd, cli.config);
    const fromFile = loadConfigFile(file, problems);
    if (fromFile) config = relativeTo(dirname(file), fromFile);
  }
  const overridden = applyFlags(config, cli, cwd, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return overridden;
}

function loadConfigFile(file: string, problems: ConfigProblem[]): Config | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      file,
      field: '',
      message: `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    });
    return undefined;
  }
  const yaml = parseLocatedYaml(text);
  for (const e of yaml.syntaxErrors)
    problems.push({ file, position: e.position, field: '', message: e.message });
  if (yaml.syntaxErrors.length > 0) return undefined;
  // An empty file is a valid config: every default applies.
  const result = configSchema.safeParse(yaml.value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // An unknown key is best shown at the key itself, not at the object holding it.
    const unknownKey = issue.code === 'unrecognized_keys';
    const path = unknownKey ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
    problems.push({
      file,
      position: yaml.locate(path, unknownKey),
      field: formatField(path),
      message: describeIssue(issue),
    });
  }
  return undefined;
}

function relativeTo(dir: string, config: Config): Config {
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(dir, path));
  return {
    ...config,
    policies: config.policies.map(at),
    dataDir: at(config.dataDir),
    upstreams: config.upstreams.map((u) =>
      u.apiKey && 'file' in u.apiKey ? { ...u, apiKey: { file: at(u.apiKey.file) } } : u,
    ),
  };
}

function applyFlags(config: Config, cli: CliOptions, cwd: string, problems: ConfigProblem[]): Config {
  let server = config.server;
  const flag = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push({
      file: COMMAND_LINE,
      field: name,
      message: result.error.issues.map(describeIssue).join('; '),
    });
    return undefined;
  };
  if (cli.port !== undefined) {
    const port = flag(
      '--port',
      serverSchema.shape.port,
      typeof cli.port === 'string' ? Number(cli.port) : cli.port,
    );
    if (port !== undefined) server = { ...server, port };
  }
  if (cli.host !== undefined) {
    const host = flag('--host', serverSchema.shape.host, cli.host);
    if (host !== undefined) server = { ...server, host };
  }
  let upstreams = config.upstreams;
  if (cli.upstream !== undefined) {
    const upstream = flag('--upstream', upstreamSchema, parseUpstreamFlag(cli.upstream));
    // The flag's upstream is the catch-all: routes from the config file keep precedence.
    if (upstream !== undefined) upstreams = [...upstreams.filter((u) => u.name !== 'default'), upstream];
  }
  // A flag replaces the config file's server of the same name.
  let mcp = config.mcp;
  for (const value of cli.mcp ?? []) {
    try {
      const server = parseMcpFlag(value);
      mcp = [...mcp.filter((m) => m.name !== server.name), { name: server.name, url: server.url }];
    } catch (error) {
      problems.push({ file: COMMAND_LINE, field: '--mcp', message: (error as Error).message });
    }
  }
  return {
    ...config,
    server,
    upstreams,
    mcp,
    policies:
      cli.policy !== undefined && cli.policy.length > 0
        ? cli.policy.map((p) => resolve(cwd, p))
        : config.policies,
    dataDir: cli.dataDir !== undefined ? resolve(cwd, cli.dataDir) : config.dataDir,
  };
}

/** `anthropic=https://api.anthropic.com` → an Anthropic-style catch-all upstream named `default`. */
export function parseUpstreamFlag(value: string): Partial<UpstreamConfig> {
  const match = /^(openai|anthropic)=(.*)$/s.exec(value);
  const api = match?.[1] === 'anthropic' ? 'anthropic' : 'openai';
  return { name: 'default', models: ['*'], baseUrl: match?.[2] ?? value, api };
}

function formatField(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return issue.message;
}
