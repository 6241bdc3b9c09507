/**
 * The offline injection detector as one call. The shipped model is read once (module cache) the
 * first time a scanner is compiled; scanning is synchronous and pure.
 */
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../core/finding.ts';
import { loadModelFile } from './classifier.ts';
import type { LoadedModel } from './classifier.ts';
import { analyze, explain, SIGNAL_NAMES } from './detector.ts';

/** The shipped model; `PARAPET_INJECTION_MODEL` selects another file (e.g. the licence-clean one). */
export const MODEL_PATH =
  process.env['PARAPET_INJECTION_MODEL'] ??
  fileURLToPath(new URL('../../../models/injection.json', import.meta.url));

let shipped: LoadedModel | undefined;

/** The shipped model, loaded on first use and kept for the life of the process. */
export function shippedModel(): LoadedModel {
  shipped ??= checkSignals(loadModelFile(MODEL_PATH), MODEL_PATH);
  return shipped;
}

/**
 * A model fitted on another version's signals would be fed the wrong inputs and score nonsense
 * without any error, so a mismatch stops the load.
 */
export function checkSignals(model: LoadedModel, path: string): LoadedModel {
  const names = model.combiner.names;
  if (names.length !== SIGNAL_NAMES.length || names.some((n, i) => n !== SIGNAL_NAMES[i])) {
    throw new Error(
      `injection model ${path} was fitted on other signals than this version computes; ` +
        'retrain it with `npm run train:injection`',
    );
  }
  return model;
}

export interface InjectionResult {
  readonly flagged: boolean;
  /** Calibrated probability in [0, 1]. */
  readonly score: number;
  /** Explanations with spans in the original text; empty when not flagged. */
  readonly findings: Finding[];
}

/** Score `text`; flagged at the model's default threshold for user input or untrusted content. */
export function detectInjection(
  text: string,
  options: { model?: LoadedModel; threshold?: number; untrusted?: boolean } = {},
): InjectionResult {
  const model = options.model ?? shippedModel();
  const threshold =
    options.threshold ?? (options.untrusted === true ? model.thresholds.untrusted : model.thresholds.prompt);
  const analysis = analyze(model, text);
  const flagged = analysis.score >= threshold;
  return { flagged, score: analysis.score, findings: flagged ? explain(model, analysis) : [] };
}
