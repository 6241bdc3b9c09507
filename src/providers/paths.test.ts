import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiStyle, Endpoint, JsonPath } from '../core/conversation.ts';
import { segmentsOf } from '../core/conversation.ts';
import type { JsonObject } from '../core/provider.ts';
import { adapterFor } from './index.ts';
import { applySegmentEdits, getAtPath, isPlainObject } from './json-path.ts';

/** Every path at which two JSON values differ (leaves, or the first node whose kind differs). */
function diffPaths(a: unknown, b: unknown, path: (string | number)[] = []): JsonPath[] {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => diffPaths(item, b[i], [...path, i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths(a[k], b[k], [...path, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

const bodies: { api: ApiStyle; endpoint: Endpoint; body: JsonObject }[] = [
  {
    api: 'openai',
    endpoint: 'chat',
    body: {
      model: 'm',
      extra: { nested: ['same text', 'You are terse.'] },
      messages: [
        { role: 'system', content: 'Be brief, same text.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'same text' },
            { type: 'image_url', image_url: { url: 'u' } },
            { type: 'text', text: 'same text' },
          ],
        },
        {
          role: 'assistant',
          content: 'same text',
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'f', arguments: '{"q":"same text"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c', content: 'same text' },
      ],
    },
  },
  {
    api: 'openai',
    endpoint: 'completions',
    body: { model: 'm', prompt: ['same text', [1, 2], 'same text'], suffix: 'same text' },
  },
  { api: 'openai', endpoint: 'embeddings', body: { model: 'm', input: ['same text', 'same text'] } },
  {
    api: 'anthropic',
    endpoint: 'messages',
    body: {
      model: 'm',
      system: [{ type: 'text', text: 'same text' }],
      messages: [
        { role: 'user', content: 'same text' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'same text' },
            { type: 'tool_use', id: 't', name: 'f', input: { q: 'same text' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'same text' }] },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'same text' } },
            { type: 'text', text: 'same text' },
          ],
        },
      ],
    },
  },
];

describe('segment paths', () => {
  for (const { api, endpoint, body } of bodies) {
    it(`a rewrite of any ${api} ${endpoint} segment changes exactly that string`, () => {
      const segments = segmentsOf(adapterFor(api).parseRequest(endpoint, body));
      assert.ok(segments.length >= 2);
      for (const segment of segments) {
        const edited = structuredClone(body);
        const at = segment.text.indexOf('same text');
        assert.ok(at >= 0, `segment ${segment.path.join('.')} holds the sample text`);
        applySegmentEdits(edited, [
          { path: segment.path, rewrites: [{ start: at, end: at + 4, replacement: 'SAME' }] },
        ]);
        assert.deepEqual(diffPaths(body, edited), [
          segment.path.at(-1) === 'input' ? [...segment.path, 'q'] : segment.path,
        ]);
        const value = getAtPath(edited, segment.path);
        assert.match(typeof value === 'string' ? value : JSON.stringify(value), /SAME text/);
      }
    });
  }
});
