import { z } from 'zod';
import type { Finding } from '../core/finding.ts';
import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import { checkOptions } from './check-options.ts';

/**
 * Structured outputs (OWASP LLM05, improper output handling): when the client asked for an answer
 * in a JSON schema (OpenAI `response_format`), the answer must parse as JSON and follow that
 * schema before the application that parses it sees it. A structured answer is judged whole, so
 * in a stream it is held until it ends (up to the stream guard's 64 KiB bound; a longer one is
 * judged in pieces and blocked). Requests without a schema are not affected.
 */

/** The stream guard's default bound on held text: a structured answer is held whole up to it. */
const MAX_STRUCTURED_ANSWER = 64 * 1024;
const MAX_COMPILED_SCHEMAS = 64;
const MAX_ISSUES_NAMED = 3;

type Validator = (value: unknown) => readonly { path: string; code: string }[];

const optionsSchema = checkOptions(['allow', 'block']);
type StructuredOptions = z.infer<typeof optionsSchema>;

function compile(schema: unknown): Validator | undefined {
  try {
    const zod = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    return (value) => {
      const result = zod.safeParse(value);
      // Issue paths and codes only: messages may quote the offending value.
      return result.success
        ? []
        : result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', code: i.code }));
    };
  } catch {
    return undefined;
  }
}

function finding(type: string, text: string, reason: string, score: number, issues = 0): Finding {
  return {
    type,
    entity: 'STRUCTURED_OUTPUT',
    start: 0,
    end: text.length,
    score,
    reason,
    details: { issues },
  };
}

function exchangeScanner(validate: Validator | undefined): Scanner {
  return {
    id: 'output.structuredOutput',
    maxFindingLength: MAX_STRUCTURED_ANSWER,
    // Any appended character can change the verdict on the whole answer.
    pendingStart: () => 0,
    scan(text) {
      if (validate === undefined) {
        return [
          finding('structured.unsupported_schema', text, 'The response schema could not be compiled.', 0.3),
        ];
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return [finding('structured.invalid_json', text, 'The structured answer is not valid JSON.', 1)];
      }
      const issues = validate(value);
      if (issues.length === 0) return [];
      const named = issues
        .slice(0, MAX_ISSUES_NAMED)
        .map((i) => `${i.path} (${i.code})`)
        .join(', ');
      return [
        finding(
          'structured.schema_mismatch',
          text,
          `The structured answer does not follow the requested schema: ${named}.`,
          1,
          issues.length,
        ),
      ];
    },
  };
}

function createStructuredOutputScanner(): Scanner {
  // Clients send the same schema on every request: each distinct one is compiled once.
  const compiled = new Map<string, Validator | undefined>();
  return {
    id: 'output.structuredOutput',
    maxFindingLength: 0,
    scan: () => [],
    pendingStart: (text) => text.length,
    forExchange(conversation) {
      if (conversation.responseSchema === undefined) return {};
      const key = JSON.stringify(conversation.responseSchema);
      let validate = compiled.get(key);
      if (!compiled.has(key)) {
        validate = compile(conversation.responseSchema);
        if (compiled.size >= MAX_COMPILED_SCHEMAS) {
          const oldest = compiled.keys().next();
          if (!oldest.done) compiled.delete(oldest.value);
        }
        compiled.set(key, validate);
      }
      return { scanner: exchangeScanner(validate) };
    },
  };
}

export const structuredOutput: CheckDefinition<StructuredOptions> = {
  key: 'structuredOutput',
  stage: 'output',
  owasp: 'LLM05',
  summary:
    'Structured outputs: an answer to a `response_format` JSON-schema request must be valid JSON that follows the schema.',
  defaultOrigins: ['assistant'],
  actions: ['allow', 'block'],
  options: optionsSchema,
  create: () => createStructuredOutputScanner(),
};
