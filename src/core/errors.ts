import type { Decision } from './decision.ts';

/**
 * The one catalogue of errors Parapet returns. Each code has its HTTP status and OpenAI error
 * `type`; every error body is built by `errorBody` so clients see one shape:
 * `{"error": {"type", "code", "message", "param", ...details}}`.
 */
export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: 'invalid_request_error', summary: 'The body is not valid JSON.' },
  invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    summary: 'The body is JSON but not a valid request for this endpoint.',
  },
  policy_violation: {
    status: 400,
    type: 'policy_violation',
    summary: 'A policy rule blocked the request or the answer.',
  },
  unauthorized: { status: 401, type: 'authentication_error', summary: 'No valid credentials were given.' },
  forbidden: { status: 403, type: 'permission_error', summary: 'The caller may not do this.' },
  not_found: { status: 404, type: 'invalid_request_error', summary: 'No such route or resource.' },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    summary: 'No upstream is configured for the requested model.',
  },
  method_not_allowed: { status: 405, type: 'invalid_request_error', summary: 'Wrong HTTP method.' },
  body_too_large: { status: 413, type: 'invalid_request_error', summary: 'The body exceeds the size limit.' },
  unsupported_media_type: {
    status: 415,
    type: 'invalid_request_error',
    summary: 'The body must be application/json.',
  },
  rate_limited: { status: 429, type: 'rate_limit_error', summary: 'A rate limit or budget was exceeded.' },
  internal_error: { status: 500, type: 'server_error', summary: 'Parapet failed; the request was not sent.' },
  upstream_error: { status: 502, type: 'upstream_error', summary: 'The upstream model server failed.' },
  upstream_unavailable: {
    status: 502,
    type: 'upstream_error',
    summary: 'The upstream model server could not be reached.',
  },
  shutting_down: { status: 503, type: 'server_error', summary: 'Parapet is shutting down.' },
  upstream_timeout: {
    status: 504,
    type: 'upstream_error',
    summary: 'The upstream model server did not answer in time.',
  },
} as const satisfies Record<string, { status: number; type: string; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export class ParapetError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { param?: string; details?: ErrorDetails } = {}) {
    super(message);
    this.name = 'ParapetError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.param = options.param ?? null;
    this.details = options.details ?? {};
  }
}

export interface ErrorBody {
  readonly error: {
    readonly type: string;
    readonly code: ErrorCode;
    readonly message: string;
    readonly param: string | null;
    readonly [detail: string]: string | number | boolean | null;
  };
}

export function errorBody(error: ParapetError): ErrorBody {
  return {
    error: {
      ...error.details,
      type: ERROR_CATALOGUE[error.code].type,
      code: error.code,
      message: error.message,
      param: error.param,
    },
  };
}

/** The error a blocking decision turns into; names the rule, its OWASP item and the reason. */
export function policyViolation(decision: Decision): ParapetError {
  return new ParapetError(
    'policy_violation',
    `Blocked by policy rule '${decision.rule}' (OWASP ${decision.owasp}): ${decision.reason}`,
    { details: { rule: decision.rule, policy: decision.policy, owasp: decision.owasp } },
  );
}
