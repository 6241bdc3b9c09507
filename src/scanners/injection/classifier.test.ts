import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeModel } from './classifier.ts';
import type { InjectionModelFile } from './classifier.ts';
import { checkSignals, MODEL_PATH } from './index.ts';

const shippedFile = (): InjectionModelFile =>
  JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as InjectionModelFile;

test('the shipped model loads and matches the signals this version computes', () => {
  const model = checkSignals(decodeModel(shippedFile()), MODEL_PATH);
  assert.equal(model.combiner.hiddenBias.length, model.combiner.weights.length);
});

test('a combiner whose shapes disagree is refused', () => {
  const file = shippedFile();
  const broken = { ...file, combiner: { ...file.combiner, hiddenBias: file.combiner.hiddenBias.slice(1) } };
  assert.throws(() => decodeModel(broken), /combiner shapes disagree/);
});

test('a model fitted on other signals is refused', () => {
  const file = shippedFile();
  const names = [...file.combiner.names];
  names[0] = 'classifier.renamed';
  const model = decodeModel({ ...file, combiner: { ...file.combiner, names } });
  assert.throws(() => checkSignals(model, 'old.json'), /old\.json was fitted on other signals/);
});
