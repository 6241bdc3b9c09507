/**
 * Train the offline injection detector: `npm run train:injection [-- DATA.jsonl] [--exclude-source S]...
 * [--folds N] [--fold-by row|source] [--extra-list FILE]... [--out FILE]`. `--fold-by source` keeps each source in one
 * fold (a leave-sources-out check; the shipped model is fitted on every row either way). Cross-validates (prints held-out fold metrics), then fits the shipped
 * model on all rows plus the project's own templates and written examples and writes it as JSON.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { metricsTable } from '../src/scanners/injection/metrics.ts';
import { buildModel, isProjectRow, TEMPLATE_SOURCE } from '../src/scanners/injection/train.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'exclude-source': { type: 'string', multiple: true, default: [] },
    folds: { type: 'string', default: '5' },
    'fold-by': { type: 'string', default: 'row' },
    out: { type: 'string', default: 'models/injection.json' },
    'extra-list': { type: 'string', multiple: true, default: [] },
  },
});
const dataPath = positionals[0] ?? '../shared/data/injection-dev.jsonl';
const folds = Number(values.folds);
if (!Number.isInteger(folds) || folds < 2) throw new Error('--folds must be an integer ≥ 2');
const excludeSources = values['exclude-source'];
const foldBy = values['fold-by'];
if (foldBy !== 'row' && foldBy !== 'source') throw new Error('--fold-by must be "row" or "source"');
const started = Date.now();
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const { model, rows, cv } = buildModel(
  { dataPath, excludeSources, folds, foldBy, extraLists: values['extra-list'], log },
  {
    data: dataPath,
    dataSha256: createHash('sha256').update(readFileSync(dataPath)).digest('hex'),
    excludedSources: excludeSources,
    templates: TEMPLATE_SOURCE,
    folds,
    trainedAt: new Date().toISOString(),
  },
);
writeFileSync(values.out, JSON.stringify(model) + '\n');

log(
  `\nheld-out folds (${folds}-fold CV${foldBy === 'source' ? ', whole sources per fold' : ''}; classifier and combiner never saw the scored row)`,
);
log('thresholds: per fold, at 2% FPR on the training folds (the shipped model maps that point to 0.5)');
const scored = (r: (typeof rows)[number], i: number) => ({
  y: r.y,
  score: cv.scores[i] ?? 0,
  kind: r.kind,
  lang: r.lang,
  threshold: cv.thresholds[i] ?? 0.5,
});
const dev = rows.flatMap((r, i) => (isProjectRow(r) ? [] : [scored(r, i)]));
for (const l of metricsTable(dev, model.thresholds.prompt)) log(l);
const project = rows.flatMap((r, i) => (isProjectRow(r) ? [scored(r, i)] : []));
log(`\nproject templates and written examples, held-out folds (${project.length} rows)`);
for (const l of metricsTable(project, model.thresholds.prompt).slice(0, 2)) log(l);
log(
  `\nwrote ${values.out} (${(Buffer.byteLength(JSON.stringify(model)) / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
log(
  `combiner: ${model.combiner.names.length} signals (${model.combiner.names.join(', ')}) → ${model.combiner.weights.length} tanh units → logit`,
);
