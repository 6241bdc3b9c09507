/** PII entity names, spelt as Presidio spells them so users can switch without renaming policy entries. */
export const PII_ENTITIES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'URL_CREDENTIALS',
  'CRYPTO',
  'DATE_OF_BIRTH',
  'US_DRIVER_LICENSE',
  'PERSON',
  'LOCATION',
  'ORGANIZATION',
] as const;

export type PiiEntity = (typeof PII_ENTITIES)[number];

/** Other spellings accepted in policies (Presidio's and common short forms). */
export const PII_ALIASES: Readonly<Record<string, PiiEntity>> = {
  EMAIL: 'EMAIL_ADDRESS',
  PHONE: 'PHONE_NUMBER',
  IBAN: 'IBAN_CODE',
  SSN: 'US_SSN',
  IP: 'IP_ADDRESS',
  CRYPTO_WALLET: 'CRYPTO',
  DOB: 'DATE_OF_BIRTH',
  DRIVER_LICENSE: 'US_DRIVER_LICENSE',
  GPE: 'LOCATION',
  ORG: 'ORGANIZATION',
};

/** One detection before thresholds and overlap resolution. */
export interface PiiCandidate {
  readonly entity: PiiEntity;
  readonly start: number;
  readonly end: number;
  readonly score: number;
  /** Why the score is what it is; never contains the value. */
  readonly reason: string;
}

/** True when one of the context words occurs shortly before (or just after) the span. */
export function hasContext(text: string, start: number, end: number, words: RegExp, before = 48): boolean {
  return words.test(text.slice(Math.max(0, start - before), start)) || words.test(text.slice(end, end + 24));
}
