import { isPlaceholder, shannonEntropy } from './placeholder.ts';

// Detectors that need a little parsing rather than one pattern: PEM private-key blocks, URLs and
// command lines that carry a password, and the generic "key name = high-entropy value" detector.

export interface SecretCandidate {
  readonly rule: string;
  readonly entity: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly reason: string;
}

/** Longest private-key block reported as one finding; longer blocks are reported up to this bound. */
export const MAX_PEM_LENGTH = 4096;

const PEM_HEADER = /-----BEGIN (?:[A-Z\d]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/y;
const BASE64_CHAR = /[\d+/=A-Z]/i;

/** PEM / OpenSSH / PGP private-key blocks, also inside JSON strings where newlines are `\n`. */
export function findPrivateKeys(text: string, out: SecretCandidate[]): void {
  let at = text.indexOf('-----BEGIN ');
  while (at >= 0) {
    PEM_HEADER.lastIndex = at;
    const header = PEM_HEADER.exec(text);
    if (header === null) {
      at = text.indexOf('-----BEGIN ', at + 11);
      continue;
    }
    const bodyStart = at + header[0].length;
    const bound = Math.min(text.length, at + MAX_PEM_LENGTH);
    // Key material runs to the next armour line (the footer, or another header); searched only
    // within the bound, so many headers without footers stay linear.
    const armourInWindow = text.slice(bodyStart, bound).indexOf('-----');
    const bodyEnd = armourInWindow < 0 ? bound : bodyStart + armourInWindow;
    const endMarker = text.startsWith('-----END ', bodyEnd) ? bodyEnd : -1;
    let base64 = 0;
    for (let i = bodyStart; i < bodyEnd; i++) if (BASE64_CHAR.test(text.charAt(i))) base64++;
    if (base64 >= 40) {
      const closing = endMarker >= 0 ? text.slice(endMarker + 9, bound).indexOf('-----') : -1;
      const footerEnd = closing < 0 ? -1 : endMarker + 9 + closing + 5;
      const end = footerEnd >= 0 && footerEnd - at <= MAX_PEM_LENGTH ? footerEnd : bodyEnd;
      out.push({
        rule: 'private-key',
        entity: 'PRIVATE_KEY',
        start: at,
        end,
        score: 0.97,
        reason: 'private key block (PEM / OpenSSH / PGP armour with key material)',
      });
      at = text.indexOf('-----BEGIN ', end);
    } else {
      at = text.indexOf('-----BEGIN ', bodyStart);
    }
  }
}

// scheme://user:password@host — database URLs, broker URLs, git remotes, package indexes.
const URL_WITH_PASSWORD =
  /\b[a-z][\d+.a-z-]{1,20}:\/\/(?<user>[^\s/:@]{0,128}):(?<password>[^\s/@]{1,256})@[\w.[-]/gi;

export function findUrlPasswords(text: string, out: SecretCandidate[]): void {
  if (!text.includes('://')) return;
  for (const m of text.matchAll(URL_WITH_PASSWORD)) {
    const user = m.groups?.user ?? '';
    const password = m.groups?.password ?? '';
    if (isPlaceholder(password) || password === user) continue;
    const start = m.index + m[0].indexOf('://') + 3;
    out.push({
      rule: 'url-password',
      entity: 'CONNECTION_STRING',
      start,
      end: m.index + m[0].length - 2,
      score: 0.9,
      reason: 'password embedded in a URL or connection string',
    });
  }
}

// How far back a detector looks for the start of the current line (and how long a key name may
// be): bounded so that one long line with many matches stays linear.
const LOOK_BACK = 512;
const MAX_KEY_LENGTH = 64;

function lineStartBefore(text: string, index: number): number {
  const from = Math.max(0, index - LOOK_BACK);
  return from + text.slice(from, index).lastIndexOf('\n') + 1;
}

// Key=value connection strings (ADO.NET, ODBC, JDBC properties).
const CONNECTION_PASSWORD = /\b(?:password|pwd)\s{0,2}=\s{0,2}(?<secret>[^\s;"']{4,128})(?=[;\s"']|$)/gi;
const CONNECTION_STRING_HINT = /\b(?:server|data source|host|user id|uid|database|initial catalog)\s{0,2}=/i;

export function findConnectionStringPasswords(text: string, out: SecretCandidate[]): void {
  if (!text.includes(';')) return;
  for (const m of text.matchAll(CONNECTION_PASSWORD)) {
    const secret = m.groups?.secret ?? '';
    const lineStart = lineStartBefore(text, m.index);
    if (!CONNECTION_STRING_HINT.test(text.slice(lineStart, m.index)) || isPlaceholder(secret)) continue;
    const start = m.index + m[0].length - secret.length;
    out.push({
      rule: 'connection-string-password',
      entity: 'CONNECTION_STRING',
      start,
      end: start + secret.length,
      score: 0.9,
      reason: 'password in a database connection string',
    });
  }
}

// `curl -u user:password`, `-uuser:password`, `--user user:password`, `--user=user:password`
// (HTTP basic credentials on a command line).
const CURL_USER =
  /(?<=\s)(?:-u\s{0,4}|--user(?:=|\s{1,4}))(?<value>"[^"\n]{1,200}"(?::"[^"\n]{1,200}")?|'[^'\n]{1,200}'|[^\s"']{1,200})/g;

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '').replace(/":"/, ':');
}

export function findCurlCredentials(text: string, out: SecretCandidate[]): void {
  if (!text.includes('curl')) return;
  for (const m of text.matchAll(CURL_USER)) {
    const lineStart = lineStartBefore(text, m.index);
    if (
      !text.slice(lineStart, m.index).includes('curl') &&
      !/\\\s*$/.test(text.slice(Math.max(0, lineStart - 200), lineStart))
    )
      continue;
    const raw = m.groups?.value ?? '';
    const value = unquote(raw);
    const colon = value.indexOf(':');
    if (colon < 0) continue;
    const user = value.slice(0, colon);
    const password = value.slice(colon + 1);
    // An API key is often sent as the user name with an empty password (`-u sk_live_…:`).
    const secret = password === '' ? user : password;
    if (secret.length < 6 || isPlaceholder(secret) || /[$%<>[\]]/.test(value)) continue;
    if (!/\d/.test(secret) && !/[^\dA-Z]/i.test(secret) && secret === secret.toLowerCase()) continue;
    const start = m.index + m[0].length - raw.length;
    out.push({
      rule: 'curl-basic-auth',
      entity: 'HTTP_BASIC_CREDENTIALS',
      start,
      end: start + raw.length,
      score: 0.85,
      reason: 'user name and password passed to curl',
    });
  }
}

// HTTP Authorization headers: Basic carries base64("user:password"), Bearer an opaque token.
const AUTH_HEADER =
  /\bAuthorization\s{0,2}[:=]\s{0,2}["']?(?<scheme>Basic|Bearer|Token)\s{1,3}(?<secret>[\w+./~-]{16,2048}={0,2})/gi;

export function findAuthorizationHeaders(text: string, out: SecretCandidate[]): void {
  if (!/authorization/i.test(text)) return;
  for (const m of text.matchAll(AUTH_HEADER)) {
    const scheme = (m.groups?.scheme ?? '').toLowerCase();
    const secret = m.groups?.secret ?? '';
    if (isPlaceholder(secret) || shannonEntropy(secret) < 3.5) continue;
    if (scheme === 'basic') {
      const decoded = Buffer.from(secret, 'base64').toString('latin1');
      if (
        !/^[^\s:{}"]{1,128}:\S{4,}$/.test(decoded) ||
        isPlaceholder(decoded.slice(decoded.indexOf(':') + 1))
      )
        continue;
    }
    const start = m.index + m[0].length - secret.length;
    out.push({
      rule: 'http-authorization-header',
      entity: 'HTTP_AUTHORIZATION',
      start,
      end: start + secret.length,
      score: 0.85,
      reason: `credential in an HTTP Authorization header (${scheme})`,
    });
  }
}

// ---- Generic: a secret-sounding key name assigned a random-looking value -------------------------
const SECRET_KEY_NAME =
  /passw(?:or)?d|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|credential|private[_-]?key|signing[_-]?key|encryption[_-]?key/gi;
const SECRET_WORD = /passw(?:or)?d|secret|token/i;
// Names that contain a secret word but hold something else (ids, URLs, file names, sizes, …).
const NOT_A_SECRET_NAME =
  /(?:id|ids|name|names|url|uri|endpoint|file|path|dir|type|length|len|size|count|expiry|expires|expiration|ttl|header|field|prompt|policy|hint|label|format|method|mode|version|enabled|required|min|max|limit|regex|pattern|provider|store|manager|service|_at)["']?$|csrf|xsrf|authenticity|^(?:no|is|has|use|show)[_-]/i;

function isKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 45 ||
    code === 46
  );
}

const ASSIGNMENT = /["'\\]{0,2}[\t ]{0,4}(?::=|=>|==|[:=])[\t ]{0,4}(?:[bru]?["'`]|\\")?/y;
const LOOKS_LIKE_CODE =
  /^(?:[a-z_$][\w$]*(?:\.[\w$]+)+(?:[([]|$)|\w+\(|(?:true|false|null|none|nil|undefined)$|https?:\/\/|\/|\.{1,2}\/|[A-Z]:\\)/i;

function valueAt(text: string, from: number): { start: number; end: number } | undefined {
  const quote = text.charAt(from - 1);
  const quoted = quote === '"' || quote === "'" || quote === '`';
  let end = from;
  const limit = Math.min(text.length, from + 256);
  while (end < limit) {
    const ch = text.charAt(end);
    if (quoted ? ch === quote || ch === '\\' || ch === '\n' : /[\s,;)}\]"'<>]/.test(ch)) break;
    end++;
  }
  if (end === limit && limit - from >= 256) return undefined;
  return { start: from, end };
}

function charClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^\dA-Z]/i].filter((r) => r.test(value)).length;
}

export function findGenericSecrets(text: string, out: SecretCandidate[]): void {
  for (const m of text.matchAll(SECRET_KEY_NAME)) {
    let keyStart = m.index;
    const keyFloor = Math.max(0, m.index - MAX_KEY_LENGTH);
    while (keyStart > keyFloor && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart--;
    let keyEnd = m.index + m[0].length;
    const keyCeiling = Math.min(text.length, keyEnd + MAX_KEY_LENGTH);
    while (keyEnd < keyCeiling && isKeyChar(text.charCodeAt(keyEnd))) keyEnd++;
    const key = text.slice(keyStart, keyEnd);
    if (NOT_A_SECRET_NAME.test(key)) continue;
    ASSIGNMENT.lastIndex = keyEnd;
    const assignment = ASSIGNMENT.exec(text);
    if (assignment === null) continue;
    // `group:artifact:version` coordinates and `host:port` pairs: a bare colon, nothing quoted.
    if (assignment[0] === ':' && !/["'\\]/.test(text.charAt(keyEnd - 1))) continue;
    const span = valueAt(text, keyEnd + assignment[0].length);
    if (span === undefined) continue;
    const value = text.slice(span.start, span.end);
    // `==` compares; only a quoted literal on its right is a hard-coded credential.
    if (assignment[0].includes('==') && !/["'`]$/.test(assignment[0])) continue;
    const isPassword = /pass|pwd/i.test(m[0]);
    if (value.length < (isPassword ? 6 : 12) || isPlaceholder(value) || LOOKS_LIKE_CODE.test(value)) continue;
    // Prose ("i dont like you") and names of other variables (`provided_password`) are not values.
    if (/\s/.test(value) || SECRET_WORD.test(value)) continue;
    const entropy = shannonEntropy(value);
    const random = entropy >= 3.5 && charClasses(value) >= 2;
    const passwordLike = isPassword && charClasses(value) >= 2 && entropy >= 2.5;
    if (!random && !passwordLike) continue;
    out.push({
      rule: 'generic-secret',
      entity: isPassword ? 'PASSWORD' : 'GENERIC_SECRET',
      start: span.start,
      end: span.end,
      score: random ? 0.8 : 0.7,
      reason: `high-entropy value assigned to a ${isPassword ? 'password' : 'secret/token/key'} field`,
    });
  }
}
