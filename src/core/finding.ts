/** OWASP Top 10 for LLM Applications (2025) item ids. */
export type OwaspId =
  'LLM01' | 'LLM02' | 'LLM03' | 'LLM04' | 'LLM05' | 'LLM06' | 'LLM07' | 'LLM08' | 'LLM09' | 'LLM10';

/**
 * One explainable detection. Offsets are UTF-16 code-unit indices into the text that was scanned
 * (end exclusive), so `text.slice(start, end)` is the evidence. `details` must never hold the
 * matched value itself: findings are logged and audited.
 */
export interface Finding {
  /** Dotted type, e.g. `injection.override`, `pii.email_address`, `secret.aws_access_key`. */
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** Confidence in [0, 1]. */
  readonly score: number;
  /** Entity name for data findings (`EMAIL_ADDRESS`, `AWS_ACCESS_KEY`), when there is one. */
  readonly entity?: string;
  /** One sentence a caller can be shown. */
  readonly reason: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /**
   * What `redact` writes over the span instead of `[REDACTED:TYPE]`, when the check knows better
   * (a removed link leaves `[link removed]`). Shown to the caller, so it must not hold the value.
   */
  readonly redaction?: string;
}
