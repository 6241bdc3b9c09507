/**
 * Injection detector bench: speed (per 1 KB and per 16 KB of text, model load time and size) and a
 * side-by-side with the npm detectors a TypeScript user would otherwise pick, on the same rows:
 * Parapet is scored on held-out folds (retrained per fold, thresholds chosen on training folds),
 * the others (which never trained on this data) on the same rows as they come.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadModelFile } from '../src/scanners/injection/classifier.ts';
import { detectInjection, MODEL_PATH } from '../src/scanners/injection/index.ts';
import { metrics, tprAtFpr } from '../src/scanners/injection/metrics.ts';
import type { Scored } from '../src/scanners/injection/metrics.ts';
import { crossValidate, loadRows, withProjectExamples } from '../src/scanners/injection/train.ts';
import type { Row } from '../src/scanners/injection/train.ts';

const DATA = process.env['PARAPET_INJECTION_DATA'] ?? '../shared/data/injection-dev.jsonl';

interface Verdict {
  readonly flagged: boolean;
  readonly score: number;
}
type Detector = (text: string) => Promise<Verdict>;
interface Competitor {
  readonly name: string;
  readonly detect?: Detector;
  readonly why?: string;
  /** Score only every n-th row, for detectors too slow for all of them. */
  readonly every?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/**
 * Benign prose cut to `size` characters, many different slices so caches do not flatter us. Each
 * text goes through JSON as a request body does: V8 keeps a `slice` as a view into the big string,
 * slower to read than the flat strings `JSON.parse` makes from a request.
 */
function corpus(rows: readonly Row[], size: number, count: number, offset = 0): string[] {
  const text = rows
    .filter((r) => r.y === 0)
    .map((r) => r.text)
    .join('\n');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = (offset + i * 7919) % Math.max(1, text.length - size);
    out.push(JSON.parse(JSON.stringify(text.slice(start, start + size))) as string);
  }
  return out;
}

/** Shift of the steady-state slices of the benign prose, so that none starts where a first text did. */
const STEADY_OFFSET = 500_000;

function timeEach(texts: readonly string[], run: (text: string) => unknown = detectInjection) {
  for (const t of texts.slice(0, 100)) run(t);
  const us: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const t of texts) {
    const t0 = performance.now();
    run(t);
    us.push((performance.now() - t0) * 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  us.sort((a, b) => a - b);
  // Mean CPU time excludes time the process waited for a core on a busy machine.
  return {
    p50: percentile(us, 0.5),
    p99: percentile(us, 0.99),
    cpuMean: (cpu.user + cpu.system) / texts.length,
  };
}

/** A fixed workload (lower-case and split 1 KB) to judge how busy the machine was. */
function referenceLoop(texts: readonly string[]): number {
  return timeEach(texts, (t) => t.toLowerCase().split(' ').length).p50;
}

type HaiGuard = (
  messages: { role: string; content: string }[],
) => Promise<{ passed: boolean; additionalFields?: { score?: number } }[]>;

/**
 * hai-guardrails lives in its own tree, bench/competitors (`npm run bench:setup`): it declares peer
 * typescript@^5 (the root uses ~6) and needs @langchain/core. It is pinned to 1.11.1 because 1.12.0 was
 * published with a build machine's worker path and fails on import (presidio-oss/hai-guardrails#108).
 * Only its offline modes run; the language-model mode would call an LLM.
 */
async function haiGuardrails(): Promise<Competitor[]> {
  const name = '@presidio-dev/hai-guardrails';
  let entry: string;
  try {
    entry = createRequire(new URL('competitors/package.json', import.meta.url)).resolve(name);
  } catch {
    return [
      {
        name,
        why: 'not installed: `npm run bench:setup` installs it in bench/competitors (peer typescript@^5)',
      },
    ];
  }
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '../package.json'), 'utf8')) as {
    version: string;
  };
  // createRequire resolves the CommonJS build, whose exports arrive as the default export.
  const { injectionGuard } = (
    (await import(pathToFileURL(entry).href)) as {
      default: {
        injectionGuard: (
          opts: { roles: string[] },
          extra: { mode: 'heuristic' | 'pattern'; threshold: number },
        ) => HaiGuard;
      };
    }
  ).default;
  const detector = (guard: HaiGuard): Detector => {
    return async (text) => {
      const [r] = await guard([{ role: 'user', content: text }]);
      return { flagged: r?.passed === false, score: r?.additionalFields?.score ?? 0 };
    };
  };
  // Thresholds: the pattern tactic's own default and the README's heuristic example.
  const list: Competitor[] = [
    {
      name: `hai-guardrails ${version} pattern`,
      detect: detector(injectionGuard({ roles: ['user'] }, { mode: 'pattern', threshold: 0.5 })),
    },
  ];
  // The heuristic mode compares every word window with ~8,800 keyword phrases: seconds per text.
  const every = Math.floor(Number(process.env['PARAPET_BENCH_HAI_HEURISTIC_EVERY'] ?? 0));
  const heuristic = `hai-guardrails ${version} heuristic`;
  list.push(
    every >= 1
      ? {
          name: heuristic,
          detect: detector(injectionGuard({ roles: ['user'] }, { mode: 'heuristic', threshold: 0.7 })),
          every,
        }
      : {
          name: heuristic,
          why: 'skipped: seconds of CPU per text; PARAPET_BENCH_HAI_HEURISTIC_EVERY=N scores every N-th row',
        },
  );
  return list;
}

async function competitors(): Promise<Competitor[]> {
  const list: Competitor[] = [];
  try {
    const vard = (await import('@andersmyrmel/vard')).default;
    list.push({
      name: '@andersmyrmel/vard',
      // vard throws on a detected injection and has no score: a binary verdict.
      detect: (text) => {
        try {
          vard(text);
          return Promise.resolve({ flagged: false, score: 0 });
        } catch {
          return Promise.resolve({ flagged: true, score: 1 });
        }
      },
    });
  } catch (error) {
    list.push({ name: '@andersmyrmel/vard', why: `cannot load: ${(error as Error).message}` });
  }
  try {
    // The package ships no types; a variable specifier keeps tsc from demanding them.
    const specifier = 'llm_guardrail';
    const { checkAll } = (await import(specifier)) as {
      checkAll: (text: string) => Promise<{ allowed: boolean; maxThreatConfidence: number }>;
    };
    list.push({
      name: 'llm_guardrail',
      detect: async (text) => {
        const r = await checkAll(text);
        return { flagged: !r.allowed, score: r.maxThreatConfidence };
      },
    });
  } catch (error) {
    list.push({ name: 'llm_guardrail', why: `cannot load: ${(error as Error).message}` });
  }
  try {
    const { LLMGuard } = await import('llm-guard');
    const guard = new LLMGuard({ jailbreak: true, promptInjection: true });
    list.push({
      name: 'llm-guard',
      detect: async (text) => {
        const r = await guard.validate(text);
        return { flagged: !r.isValid, score: 1 - r.score };
      },
    });
  } catch (error) {
    list.push({ name: 'llm-guard', why: `cannot load: ${(error as Error).message}` });
  }
  try {
    list.push(...(await haiGuardrails()));
  } catch (error) {
    list.push({ name: '@presidio-dev/hai-guardrails', why: `cannot load: ${(error as Error).message}` });
  }
  return list;
}

/** Width of the detector-name column (fits "hai-guardrails 1.11.1 heuristic"). */
const NAME_WIDTH = 34;

function row(
  name: string,
  m: { f1: number; tpr: number; fpr: number; tprAt1Fpr: number; tprAt2Fpr: number },
  note = '',
): string {
  return `${name.padEnd(NAME_WIDTH)} F1 ${m.f1.toFixed(3)}  TPR ${m.tpr.toFixed(3)}  FPR ${m.fpr.toFixed(3)}  TPR@1%FPR ${m.tprAt1Fpr.toFixed(3)}  TPR@2%FPR ${m.tprAt2Fpr.toFixed(3)}${note}`;
}

export async function run(write: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  loadModelFile(MODEL_PATH);
  const loadMs = performance.now() - t0;
  write(
    `model: ${MODEL_PATH} — ${(statSync(MODEL_PATH).size / 1024).toFixed(0)} KB on disk, load ${loadMs.toFixed(1)} ms`,
  );
  if (!existsSync(DATA)) {
    write(`no data at ${DATA} (set PARAPET_INJECTION_DATA): speed and comparison skipped`);
    return;
  }
  const rows = loadRows(DATA);
  const texts1 = corpus(rows, 1024, 3000);
  // The first texts after loading pay V8's compilation of each pattern they reach and its
  // optimisation of the rarer code paths; the next, different texts show the steady state of a
  // running server.
  const phases = [
    { name: 'first texts after loading', kb1: timeEach(texts1), kb16: timeEach(corpus(rows, 16384, 300)) },
    {
      name: 'steady state (the next texts, other slices)',
      kb1: timeEach(corpus(rows, 1024, 3000, STEADY_OFFSET)),
      kb16: timeEach(corpus(rows, 16384, 300, STEADY_OFFSET)),
    },
  ];
  for (const { name, kb1, kb16 } of phases)
    write(
      `speed, one core, ${name}: 1 KB p50 ${kb1.p50.toFixed(1)} µs, p99 ${kb1.p99.toFixed(1)} µs, mean CPU ${kb1.cpuMean.toFixed(1)} µs; ` +
        `16 KB p50 ${kb16.p50.toFixed(1)} µs, p99 ${kb16.p99.toFixed(1)} µs, mean CPU ${kb16.cpuMean.toFixed(1)} µs`,
    );
  write(
    `reference loop (lower-case + split of 1 KB): p50 ${referenceLoop(texts1).toFixed(2)} µs (compare machines and runs by it)`,
  );

  write('');
  write(`side by side on ${DATA} (${rows.length} rows; Parapet on held-out 5-fold CV, per-fold thresholds)`);
  const all = withProjectExamples(rows);
  const cv = crossValidate(all, 5);
  const parapet: Scored[] = rows.map((r, i) => ({
    y: r.y,
    score: cv.scores[i] ?? 0,
    kind: r.kind,
    lang: r.lang,
    threshold: cv.thresholds[i] ?? 0.5,
  }));
  const pm = metrics(parapet, 0.5);
  write(row('parapet (offline detector)', pm));
  for (const c of await competitors()) {
    if (c.detect === undefined) {
      write(`${c.name.padEnd(NAME_WIDTH)} — ${c.why ?? 'unavailable'}`);
      continue;
    }
    const every = c.every ?? 1;
    const scored = rows.filter((_, i) => i % every === 0);
    const byScore: Scored[] = [];
    const byVerdict: Scored[] = [];
    const started = performance.now();
    for (const r of scored) {
      const v = await c.detect(r.text);
      byScore.push({ y: r.y, score: v.score, kind: r.kind, lang: r.lang });
      byVerdict.push({ y: r.y, score: v.flagged ? 1 : 0, kind: r.kind, lang: r.lang });
    }
    const perItem = ((performance.now() - started) * 1000) / scored.length;
    const binary = metrics(byVerdict, 0.5);
    write(
      row(
        c.name,
        { ...binary, tprAt1Fpr: tprAtFpr(byScore, 0.01), tprAt2Fpr: tprAtFpr(byScore, 0.02) },
        `  (${perItem.toFixed(0)} µs/item)`,
      ),
    );
    if (every > 1) {
      write(
        row(
          `  parapet on the same ${scored.length} rows`,
          metrics(
            parapet.filter((_, i) => i % every === 0),
            0.5,
          ),
        ),
      );
    }
  }
  write(
    '(F1/TPR/FPR at each detector’s own default verdict; TPR@1%/2%FPR rank by its score where it has one)',
  );
}
