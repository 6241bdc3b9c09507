import { isIP } from 'node:net';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { base58CheckValid, bech32Valid, ibanValid, luhnValid, ssnValid } from './checksums.ts';
import { hasContext, type PiiCandidate } from './entities.ts';

// Each recognizer finds cheap candidates with a linear regex, then validates them (checksums,
// registries, libphonenumber) and scores them; context words move the score up.

const CONTEXT_BOOST = 0.3;
// Words that say a number is an identifier of something else lower phone and card scores.
const IDENTIFIER_CONTEXT =
  /\b(?:order|invoice|tracking|ticket|ref|reference|isbn|serial|sku|part|model|transaction|case)(?: (?:no|number|id))?[\s#:.-]{0,4}$/i;
const CONTEXT_PENALTY = 0.25;

function identifierBefore(text: string, start: number): boolean {
  return IDENTIFIER_CONTEXT.test(text.slice(Math.max(0, start - 32), start));
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

// ---- EMAIL_ADDRESS ------------------------------------------------------------------------------
// Expanding around each '@' is linear and skips texts with no '@' at once.
function isLocalChar(code: number): boolean {
  return isWordChar(code) || code === 46 || code === 43 || code === 45 || code === 37;
}
function isDomainChar(code: number): boolean {
  return isWordChar(code) || code === 45 || code === 46;
}
const TLD = /\.[a-z]{2,24}$/i;

function findEmails(text: string, out: PiiCandidate[]): void {
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    // RFC 5321 caps the local part at 64 characters; the walk stops just past that.
    const floor = Math.max(0, at - 65);
    while (start > floor && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    const domain = text.slice(at + 1, end);
    if (
      start < at &&
      at - start <= 64 &&
      domain.includes('.') &&
      TLD.test(domain) &&
      !domain.includes('..')
    ) {
      out.push({ entity: 'EMAIL_ADDRESS', start, end, score: 0.95, reason: 'e-mail address' });
    }
    at = text.indexOf('@', Math.max(end, at + 1));
  }
}

// ---- PHONE_NUMBER -------------------------------------------------------------------------------
const PHONE_CANDIDATE =
  /(?<![\w+.-])\+?\(?\d[\d ().-]{5,22}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w:]|[.-]\d)/gu;
const PHONE_CONTEXT =
  /\b(?:phone|mobile|cell|call|tel|telephone|fax|desk|office|whatsapp|sms|text me|messages?|answering|contact|reach|dial|number)\b/i;
const DATE_SHAPE = /^(?:\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4})(?:\s|$)/;
// National numbers (no +country code) are validated against the US and UK plans, where
// libphonenumber's metadata is strict enough to mean something; numbers from other plans need
// context words ("phone", "call", "mobile", …) to be reported. Checking every region's plan cost
// tens of µs per candidate and accepted nearly any digit string (e.g. Germany's open plan).
const STRICT_REGIONS: readonly CountryCode[] = ['US', 'GB'];

function phoneScore(candidate: string): { score: number; reason: string } | undefined {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return undefined;
  if (DATE_SHAPE.test(candidate)) return undefined;
  if (/^(\d)\1+$/.test(digits)) return undefined;
  if (candidate.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(candidate);
    if (parsed?.isValid() === true)
      return { score: 0.85, reason: 'international phone number (valid numbering plan)' };
    return parsed?.isPossible() === true
      ? { score: 0.5, reason: 'international phone number (possible)' }
      : undefined;
  }
  for (const region of STRICT_REGIONS) {
    if (parsePhoneNumberFromString(candidate, region)?.isValid() === true) {
      return { score: 0.55, reason: 'phone number (valid national numbering plan)' };
    }
  }
  // Written the way national numbers are: a trunk-prefix 0 and separated digit groups.
  if (TRUNK_GROUPED.test(candidate) && digits.length >= 9 && digits.length <= 12) {
    return { score: 0.5, reason: 'national phone number format (trunk prefix, grouped digits)' };
  }
  return { score: 0.3, reason: 'phone-like number' };
}
const TRUNK_GROUPED = /^\(?0\d{1,4}\)?[ .-]\d{2,4}(?:[ .-]\d{2,4}){1,3}$/;

function findPhones(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    let value = m[0];
    // An unbalanced bracket belongs to the surrounding prose, not to the number.
    if (value.endsWith(')') && !value.includes('(')) value = value.slice(0, -1);
    const start = m.index + (value.startsWith('(') && !value.includes(')') ? 1 : 0);
    const trimmed = value.slice(start - m.index);
    if (/\s{2}|[.-]{2}/.test(trimmed)) continue;
    const context = hasContext(text, start, start + trimmed.length, PHONE_CONTEXT);
    const scored = phoneScore(trimmed);
    if (scored === undefined) continue;
    const identifier = identifierBefore(text, start);
    const score = Math.max(
      0,
      Math.min(1, scored.score + (context ? CONTEXT_BOOST + 0.05 : 0) - (identifier ? CONTEXT_PENALTY : 0)),
    );
    out.push({
      entity: 'PHONE_NUMBER',
      start,
      end: start + trimmed.length,
      score,
      reason: `${scored.reason}${context ? ', phone context nearby' : ''}${identifier ? ', labelled as another identifier' : ''}`,
    });
  }
}

// ---- CREDIT_CARD --------------------------------------------------------------------------------
const CARD_CANDIDATE = /(?<![\w.,-])\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;
const CARD_CONTEXT =
  /\b(?:card|credit|debit|visa|master ?card|amex|american express|discover|jcb|maestro|cc|pan|payment)\b/i;

// Issuer identification ranges (ISO/IEC 7812 IINs as published by the networks): prefix ranges
// with the card lengths each network issues.
const ISSUERS: readonly {
  readonly from: number;
  readonly to: number;
  readonly digits: number;
  readonly lengths: readonly number[];
}[] = [
  { from: 4, to: 4, digits: 1, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, digits: 2, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, digits: 4, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, digits: 2, lengths: [15] }, // American Express
  { from: 37, to: 37, digits: 2, lengths: [15] },
  { from: 6011, to: 6011, digits: 4, lengths: [16, 17, 18, 19] }, // Discover
  { from: 644, to: 649, digits: 3, lengths: [16, 17, 18, 19] },
  { from: 65, to: 65, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 300, to: 305, digits: 3, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, digits: 2, lengths: [14, 15, 16, 17, 18, 19] },
  { from: 38, to: 39, digits: 2, lengths: [14, 15, 16, 17, 18, 19] },
  { from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { from: 1800, to: 1800, digits: 4, lengths: [15] },
  { from: 2131, to: 2131, digits: 4, lengths: [15] },
  { from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 50, to: 50, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { from: 56, to: 69, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { from: 2200, to: 2204, digits: 4, lengths: [16, 17, 18, 19] }, // Mir
];

export function knownIssuer(digits: string): boolean {
  return ISSUERS.some((i) => {
    const prefix = Number(digits.slice(0, i.digits));
    return prefix >= i.from && prefix <= i.to && i.lengths.includes(digits.length);
  });
}

function findCards(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(CARD_CANDIDATE)) {
    const value = m[0];
    const digits = value.replace(/\D/g, '');
    if (digits.length < 12 || /^(\d)\1+$/.test(digits) || !luhnValid(digits)) continue;
    const separators = new Set(value.replace(/\d/g, ''));
    if (separators.size > 1) continue;
    const issuer = knownIssuer(digits);
    const context = hasContext(text, m.index, m.index + value.length, CARD_CONTEXT);
    const identifier = !context && identifierBefore(text, m.index);
    const base = issuer ? 0.8 : 0.35;
    out.push({
      entity: 'CREDIT_CARD',
      start: m.index,
      end: m.index + value.length,
      score: Math.max(
        0,
        Math.min(1, base + (context ? CONTEXT_BOOST + 0.1 : 0) - (identifier ? CONTEXT_PENALTY : 0)),
      ),
      reason: `card number (Luhn valid${issuer ? ', known issuer range' : ''}${context ? ', card context nearby' : ''}${identifier ? ', labelled as another identifier' : ''})`,
    });
  }
}

// ---- IBAN_CODE ----------------------------------------------------------------------------------
// IBANs are written in capitals; lower-case ones are looked for only when the text says "IBAN".
const IBAN_UPPER =
  /(?<![A-Z\d])[A-Z]{2}\d{2}(?:[A-Z\d]{11,30}|(?: [A-Z\d]{4}){2,7}(?: [A-Z\d]{1,3})?)(?![A-Z\d])/g;
const IBAN_ANY_CASE =
  /(?<![A-Z\d])[A-Z]{2}\d{2}(?:[A-Z\d]{11,30}|(?: [A-Z\d]{4}){2,7}(?: [A-Z\d]{1,3})?)(?![A-Z\d])/gi;
const IBAN_WORD = /iban/i;

function findIbans(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(IBAN_WORD.test(text) ? IBAN_ANY_CASE : IBAN_UPPER)) {
    const compact = m[0].replace(/ /g, '').toUpperCase();
    if (!ibanValid(compact)) continue;
    out.push({
      entity: 'IBAN_CODE',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.95,
      reason: 'IBAN (ISO 13616 check digits valid)',
    });
  }
}

// ---- US_SSN -------------------------------------------------------------------------------------
const SSN_CANDIDATE = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|social security|social sec|ss#|ssa|tax ?id|tin)\b/i;

function findSsns(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(SSN_CANDIDATE)) {
    const [, area = '', separator = '', group = '', serial = ''] = m;
    if (!ssnValid(area, group, serial)) continue;
    const context = hasContext(text, m.index, m.index + m[0].length, SSN_CONTEXT);
    // The 3-2-4 grouping is the SSN's own; without separators it is just nine digits.
    const base = separator === '-' ? 0.65 : separator === ' ' ? 0.55 : 0.2;
    out.push({
      entity: 'US_SSN',
      start: m.index,
      end: m.index + m[0].length,
      score: Math.min(1, base + (context ? 0.35 : 0)),
      reason: `US social security number (SSA validity rules${context ? ', SSN context nearby' : ''})`,
    });
  }
}

// ---- IP_ADDRESS ---------------------------------------------------------------------------------
const IPV4_CANDIDATE = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)/g;
const IPV6_CANDIDATE = /(?<![\w:])(?:[\dA-F]{1,4}|:)(?::[\dA-F]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:])/gi;
const IPV6_GATE = /:[\dA-F]{0,4}:/i;
const VERSION_CONTEXT = /\b(?:version|v|ver|release|build)\s*$/i;

function findIps(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(IPV4_CANDIDATE)) {
    if (isIP(m[0]) !== 4) continue;
    const versionLike = VERSION_CONTEXT.test(text.slice(Math.max(0, m.index - 12), m.index));
    out.push({
      entity: 'IP_ADDRESS',
      start: m.index,
      end: m.index + m[0].length,
      score: versionLike ? 0.3 : 0.85,
      reason: versionLike ? 'IPv4-shaped version number' : 'IPv4 address',
    });
  }
  // IPv6 needs two colons with at most four hex digits between them; the gate starts with a
  // literal, which the regex engine finds quickly, and skips prose before the costlier pattern.
  if (!IPV6_GATE.test(text)) return;
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const value = m[0];
    if (isIP(value) !== 6 || value.replace(/[:.]/g, '').length < 3) continue;
    out.push({
      entity: 'IP_ADDRESS',
      start: m.index,
      end: m.index + value.length,
      score: 0.85,
      reason: 'IPv6 address',
    });
  }
}

// ---- URL_CREDENTIALS ----------------------------------------------------------------------------
const URL_CREDENTIALS = /\b[a-z][\d+.a-z-]{1,15}:\/\/[^\s/:@]{1,128}:[^\s/@]{1,256}@[\w.-]/gi;
const PLACEHOLDER_PASSWORD =
  /^(?:\$.*|<.*>|\{\{.*|\[.*\]|\*+|x+|pass(?:word)?|secret|changeme|password\d?|your[_-]?password|\.\.\.)$/i;

function findUrlCredentials(text: string, out: PiiCandidate[]): void {
  if (!text.includes('://')) return;
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const afterScheme = m[0].indexOf('://') + 3;
    const colon = m[0].indexOf(':', afterScheme);
    const password = m[0].slice(colon + 1, -2);
    if (PLACEHOLDER_PASSWORD.test(password)) continue;
    out.push({
      entity: 'URL_CREDENTIALS',
      start: m.index + afterScheme,
      end: m.index + m[0].length - 2,
      score: 0.9,
      reason: 'user name and password embedded in a URL',
    });
  }
}

// ---- CRYPTO -------------------------------------------------------------------------------------
const BTC_BASE58 = /(?<![\dA-Za-z])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\dA-Za-z])/g;
const BTC_BECH32 = /(?<![\dA-Za-z])bc1[02-9ac-hj-np-z]{11,71}(?![\dA-Za-z])/g;
const ETH_ADDRESS = /(?<![\dA-Za-z])0x[\dA-Fa-f]{40}(?![\dA-Za-z])/g;
const CRYPTO_CONTEXT = /\b(?:wallet|address|btc|bitcoin|eth|ether|ethereum|crypto|send|pay|usdt|metamask)\b/i;

function findCrypto(text: string, out: PiiCandidate[]): void {
  for (const m of text.matchAll(BTC_BASE58)) {
    if (!base58CheckValid(m[0])) continue;
    out.push({
      entity: 'CRYPTO',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
      reason: 'Bitcoin address (Base58Check valid)',
    });
  }
  for (const m of text.includes('bc1') ? text.matchAll(BTC_BECH32) : []) {
    if (!bech32Valid(m[0])) continue;
    out.push({
      entity: 'CRYPTO',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
      reason: 'Bitcoin address (Bech32 checksum valid)',
    });
  }
  for (const m of text.includes('0x') ? text.matchAll(ETH_ADDRESS) : []) {
    // EIP-55 needs Keccak-256, which node:crypto lacks; the exact 20-byte shape plus context decides.
    const context = hasContext(text, m.index, m.index + m[0].length, CRYPTO_CONTEXT);
    out.push({
      entity: 'CRYPTO',
      start: m.index,
      end: m.index + m[0].length,
      score: context ? 0.85 : 0.6,
      reason: `Ethereum address${context ? ', wallet context nearby' : ''}`,
    });
  }
}

// ---- DATE_OF_BIRTH ------------------------------------------------------------------------------
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE_CANDIDATE = new RegExp(
  String.raw`(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|${MONTH}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH}\.?,? \d{4})(?![\d/.-]\d)`,
  'gi',
);
const BIRTH_CONTEXT = /\b(?:born|birth|birthday|dob|d\.o\.b|date of birth|geboren|né|née)\b/i;

function findDatesOfBirth(text: string, out: PiiCandidate[]): void {
  if (!BIRTH_CONTEXT.test(text)) return;
  for (const m of text.matchAll(DATE_CANDIDATE)) {
    if (!hasContext(text, m.index, m.index + m[0].length, BIRTH_CONTEXT, 40)) continue;
    out.push({
      entity: 'DATE_OF_BIRTH',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.85,
      reason: 'date next to birth context',
    });
  }
}

// ---- US_DRIVER_LICENSE --------------------------------------------------------------------------
// State formats differ too much to recognise bare numbers; only a number right after a licence
// mention is reported.
const LICENSE_CONTEXT =
  /\b(?:driver'?s?|driving)\s+licen[cs]e(?:\s+(?:number|no\.?|#))?(?:\s+is)?\s*(?::\s*)?$/i;
const LICENSE_CANDIDATE = /(?<![\w-])[A-Z\d][A-Z\d-]{4,18}[A-Z\d](?![\w-])/gi;

function findDriverLicenses(text: string, out: PiiCandidate[]): void {
  if (!/licen[cs]e/i.test(text)) return;
  for (const m of text.matchAll(LICENSE_CANDIDATE)) {
    if (!/\d/.test(m[0]) || !LICENSE_CONTEXT.test(text.slice(Math.max(0, m.index - 48), m.index))) continue;
    out.push({
      entity: 'US_DRIVER_LICENSE',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.8,
      reason: "number right after a driver's licence mention",
    });
  }
}

/** Every structured recognizer, in the order their candidates are produced. */
export function findStructured(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  findEmails(text, out);
  findUrlCredentials(text, out);
  // Structured numbers all contain a digit; prose without digits is done here.
  if (!/\d/.test(text)) return out;
  findCards(text, out);
  findIbans(text, out);
  findSsns(text, out);
  findIps(text, out);
  findCrypto(text, out);
  findDatesOfBirth(text, out);
  findDriverLicenses(text, out);
  findPhones(text, out);
  return out;
}
