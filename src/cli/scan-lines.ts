import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Finding } from '../core/finding.ts';

export interface TaskResult {
  readonly flagged: boolean;
  readonly score: number;
  readonly findings: readonly Finding[];
}

export type TaskScanner = (text: string) => TaskResult;

export class InputLineError extends Error {
  readonly lineNumber: number;
  constructor(source: string, lineNumber: number, message: string) {
    super(`${source}:${lineNumber}: ${message}`);
    this.lineNumber = lineNumber;
  }
}

/** Parse one input line of the scan contract: a JSON object with a string `text`. */
export function parseInputLine(line: string, source: string, lineNumber: number): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputLineError(source, lineNumber, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputLineError(source, lineNumber, 'expected a JSON object with a "text" field');
  }
  const text = (value as Record<string, unknown>)['text'];
  if (typeof text !== 'string') {
    throw new InputLineError(
      source,
      lineNumber,
      `field "text" must be a string, got ${text === undefined ? 'nothing' : typeof text}`,
    );
  }
  return text;
}

/**
 * The `parapet scan` contract: read JSON lines, answer each with one JSON line, in order, as soon
 * as it is read (so the command works as a co-process). Blank lines carry no input and are passed
 * over; any other bad line stops the run with an error naming the line.
 */
export async function scanLines(
  input: Readable,
  output: Writable,
  source: string,
  scan: TaskScanner,
): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let answered = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const text = parseInputLine(line, source, lineNumber);
    const result = scan(text);
    output.write(
      JSON.stringify({ flagged: result.flagged, score: result.score, findings: result.findings }) + '\n',
    );
    answered += 1;
  }
  return answered;
}

export function openInput(path: string): { stream: Readable; source: string } {
  if (path === '-') return { stream: process.stdin, source: '<stdin>' };
  return { stream: createReadStream(path, { encoding: 'utf8' }), source: path };
}
