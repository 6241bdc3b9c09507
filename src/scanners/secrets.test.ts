import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  SECRET_RULES,
  SECRET_RULE_IDS,
  createSecretDetector,
  scanSecrets,
  secretsInput,
  secretsOutput,
} from './secrets.ts';
import { isPlaceholder, shannonEntropy } from './secrets/placeholder.ts';
import { jwtHasClaims, jwtValid } from './secrets/rules.ts';

// Test tokens are built at run time from a seeded generator, in each provider's documented shape,
// so no credential-looking literal sits in the source.
let seed = 42;
function rand(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    out += alphabet.charAt(Math.floor((seed / 0x100000000) * alphabet.length));
  }
  return out;
}
const D = '0123456789';
const HEX = '0123456789abcdef';
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const AN = D + UP + LO;
const URLSAFE = AN + '_-';
const B64 = AN + '+/';
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

const jwt = (payload: object): string =>
  `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${rand(URLSAFE, 43)}`;

// [rule id, text containing a secret, the secret, look-alike text that must not be reported]
const CASES: readonly (readonly [string, string, string, string])[] = (() => {
  const t: [string, string, string][] = [
    [
      'aws-access-key-id',
      `AKIA${rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
      'key = AKIAIOSFODNN7EXAMPLE',
    ],
    ['github-token', `ghp_${rand(AN, 36)}`, `ghp_${rand(AN, 30)}`],
    [
      'github-fine-grained-pat',
      `github_pat_${rand(AN, 22)}_${rand(AN, 59)}`,
      `github_pat_${'x'.repeat(22)}_${'x'.repeat(59)}`,
    ],
    ['gitlab-token', `glpat-${rand(URLSAFE, 20)}`, 'glpat-xxxxxxxxxxxxxxxxxxxx'],
    ['slack-token', `xoxb-${rand(D, 11)}-${rand(D, 12)}-${rand(AN, 24)}`, 'xoxb-12345-abcd234'],
    [
      'slack-webhook-url',
      `https://hooks.slack.com/services/T${rand(UP + D, 8)}/B${rand(UP + D, 8)}/${rand(AN, 24)}`,
      'https://hooks.slack.com/services/',
    ],
    ['stripe-secret-key', `sk_live_${rand(AN, 24)}`, `pk_live_${rand(AN, 24)}`],
    [
      'sendgrid-api-key',
      `SG.${rand(URLSAFE, 22)}.${rand(URLSAFE, 43)}`,
      `SG.${rand(URLSAFE, 10)}.${rand(URLSAFE, 10)}`,
    ],
    ['openai-api-key', `sk-proj-${rand(URLSAFE, 80)}`, 'sk-proj-<your-key-here>'],
    ['anthropic-api-key', `sk-ant-api03-${rand(URLSAFE, 93)}AA`, `sk-ant-api03-${rand(URLSAFE, 40)}AA`],
    ['huggingface-token', `hf_${rand(UP + LO, 34)}`, 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['npm-token', `npm_${rand(AN, 36)}`, `npm_${rand(AN, 12)}`],
    ['pypi-token', `pypi-AgEIcHlwaS5vcmc${rand(URLSAFE, 60)}`, `pypi-${rand(URLSAFE, 60)}`],
    ['shopify-token', `shpat_${rand(HEX, 32)}`, `shpat_${rand(HEX, 20)}`],
    [
      'discord-bot-token',
      `${b64url('81234567890123456' + '7')}.${rand(URLSAFE, 6)}.${rand(URLSAFE, 38)}`,
      `${b64url('hello-world-12345678')}.${rand(URLSAFE, 6)}.${rand(URLSAFE, 38)}`,
    ],
    [
      'telegram-bot-token',
      `${rand('123456789', 1)}${rand(D, 9)}:AA${rand(URLSAFE, 33)}`,
      `123456789:${rand(URLSAFE, 20)}`,
    ],
    ['twilio-api-key', `SK${rand(HEX, 32)}`, `SK${'0'.repeat(32)}`],
    ['gcp-oauth-client-secret', `GOCSPX-${rand(URLSAFE, 28)}`, `GOCSPX-${rand(URLSAFE, 10)}`],
    [
      'azure-ad-client-secret',
      `client_secret=${rand(AN, 3)}8Q~${rand(AN + '_-.~', 34)}`,
      'client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
    ['vault-token', `hvs.${rand(URLSAFE, 95)}`, `hvs.${'x'.repeat(95)}`],
    ['digitalocean-token', `dop_v1_${rand(HEX, 64)}`, `dop_v1_${rand(HEX, 30)}`],
    ['databricks-token', `dapi${rand(HEX, 32)}`, 'dapi-token'],
    ['notion-token', `ntn_${rand(D, 11)}${rand(AN, 35)}`, 'ntn_12345678901abc'],
    ['postman-api-key', `PMAK-${rand(HEX, 24)}-${rand(HEX, 34)}`, `PMAK-${rand(HEX, 10)}`],
    [
      'grafana-token',
      `glsa_${rand(AN, 32)}_${rand(HEX, 8)}`,
      'glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA',
    ],
    ['age-secret-key', `AGE-SECRET-KEY-1${rand('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`, 'AGE-SECRET-KEY-1'],
    ['jwt', jwt({ sub: '1234', exp: 1900000000 }), jwt({ confidence: 0.8 })],
    ['mailchimp-api-key', `${rand(HEX, 32)}-us${rand(D, 2)}`, `${rand(HEX, 20)}-us12`],
    ['groq-api-key', `gsk_${rand(AN, 52)}`, `gsk_${rand(AN, 20)}`],
  ];
  return t.map(
    ([id, secret, lookalike]) =>
      [id, `my token is ${secret} ok`, secret, `my token is ${lookalike} ok`] as const,
  );
})();

describe('secret rules', () => {
  for (const [id, text, secret, lookalike] of CASES) {
    it(`${id}: finds the token, not its look-alike`, () => {
      const found = scanSecrets(text).findings.find((f) => f.type === `secret.${id}`);
      assert.ok(found, `expected secret.${id}`);
      assert.equal(
        text.slice(found.start, found.end),
        secret.startsWith('client_secret=') ? secret.slice(14) : secret,
      );
      assert.deepEqual(scanSecrets(lookalike).findings, []);
    });
  }

  it('finds every case at once in one text, as in each case alone (the prefilter activates each rule)', () => {
    let offset = 0;
    const expected = CASES.flatMap(([, text]) => {
      const shifted = scanSecrets(text).findings.map((f) => ({
        ...f,
        start: f.start + offset,
        end: f.end + offset,
      }));
      offset += text.length + 1;
      return shifted;
    });
    assert.ok(expected.length >= CASES.length);
    assert.deepEqual(scanSecrets(CASES.map(([, text]) => text).join('\n')).findings, expected);
  });

  it('has a case for every pattern rule, and unique ids', () => {
    const tested = new Set(CASES.map(([id]) => id));
    const untested = SECRET_RULES.map((r) => r.id).filter((id) => !tested.has(id));
    // Rules whose shapes need surrounding context are covered by the table below.
    assert.deepEqual(
      untested.filter((id) => !CONTEXT_CASES.some(([c]) => c === id)),
      [],
    );
    assert.equal(new Set(SECRET_RULE_IDS).size, SECRET_RULE_IDS.length);
  });
});

// Rules that depend on a key name or provider name nearby, and the structural detectors.
const CONTEXT_CASES: readonly (readonly [string, string, string, string])[] = [
  ['aws-secret-access-key', `aws_secret_access_key = ${rand(B64, 40)}`, '', `checksum = ${rand(B64, 40)}`],
  ['gcp-api-key', `GOOGLE_API_KEY=AIzaSy${rand(URLSAFE, 33)}`, '', `AIzaSy${rand(URLSAFE, 33)}`],
  [
    'gcp-service-account-key-id',
    `{"type": "service_account", "private_key_id": "${rand(HEX, 40)}"}`,
    '',
    `{"key_id": "${rand(HEX, 40)}"}`,
  ],
  [
    'sourcegraph-token',
    `sgp_${rand(HEX, 16)}_${rand(HEX, 40)}`,
    '',
    'sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa',
  ],
  ['sourcegraph-legacy-token', `sourcegraph: ${rand(HEX + 'ABCDEF', 40)}`, '', `commit ${rand(HEX, 40)}`],
  ['vault-legacy-token', `VAULT_TOKEN=s.${rand(AN, 24)}`, '', 's.thisstringisalllowercase'],
  ['twilio-auth-token', `twilio auth token ${rand(HEX, 32)}`, '', `md5 ${rand(HEX, 32)}`],
  ['mailgun-api-key', `key-${rand(HEX, 32)}`, '', 'key-value pairs'],
  [
    'azure-storage-account-key',
    `AccountKey=${rand(B64, 86)}==;EndpointSuffix=core.windows.net`,
    '',
    'AccountKey=;',
  ],
  [
    'azure-sas-token',
    `https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=${rand(AN, 44)}`,
    '',
    'https://example.com/?sig=abc',
  ],
  [
    'terraform-cloud-token',
    `token = "${rand(AN, 14)}.atlasv1.${rand(URLSAFE, 67)}"`,
    '',
    'token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxx"',
  ],
  ['pulumi-token', `pul-${rand(HEX, 40)}`, '', `pul-${rand(HEX, 10)}`],
  ['doppler-token', `dp.pt.${rand(AN, 43)}`, '', 'dp.pt.short'],
  ['onepassword-service-account-token', `ops_eyJ${rand(B64, 300)}`, '', 'ops_eyJ'],
  [
    'onepassword-secret-key',
    `A3-${rand(UP + D, 6)}-${rand(UP + D, 11)}-${rand(UP + D, 5)}-${rand(UP + D, 5)}-${rand(UP + D, 5)}`,
    '',
    'A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX',
  ],
  ['slack-config-token', `xoxe.xoxp-1-${rand(AN, 160)}`, '', 'xoxe-1-xxx'],
  ['slack-app-token', `xapp-1-A${rand(UP + D, 10)}-${rand(D, 13)}-${rand(HEX, 64)}`, '', 'xapp-1-token'],
  [
    'discord-webhook-url',
    `https://discord.com/api/webhooks/${rand(D, 18)}/${rand(URLSAFE, 68)}`,
    '',
    'https://discord.com/api/webhooks/',
  ],
  ['stripe-test-key', `sk_test_${rand(AN, 24)}`, '', 'sk_test_'],
  ['stripe-webhook-secret', `whsec_${rand(AN, 32)}`, '', 'whsec_'],
  ['square-token', `sq0atp-${rand(URLSAFE, 22)}`, '', 'sq0atp-'],
  ['facebook-app-secret', `facebook_app_secret = "${rand(HEX, 32)}"`, '', `md5sum ${rand(HEX, 32)}`],
  [
    'curl-basic-auth',
    `curl --user=deploy:${rand(AN, 14)} https://x.example.com`,
    '',
    'curl --user=$USER:$PASS https://x',
  ],
  ['curl-basic-auth', `curl -uadmin:${rand(AN, 14)} https://x.example.com`, '', 'curl -uadmin: https://x'],
  ['heroku-api-key', `HEROKU_API_KEY=HRKU-AA${rand(URLSAFE, 58)}`, '', 'HRKU-AAxxxx'],
  [
    'octopus-deploy-api-key',
    `API-${rand(UP + D, 26)}`,
    '',
    'https://x.notion.site/API-BD80F56CDC1441E6BF6011AB6D852875',
  ],
  ['infracost-api-token', `INFRACOST_API_KEY=ico-${rand(AN, 32)}`, '', `video_box.ico-${rand(HEX, 32)}.png`],
  ['readme-api-key', `rdme_${rand(LO + D, 70)}`, '', `rdme_${'X'.repeat(70)}`],
  ['artifactory-token', `AKCp${rand(AN, 69)}`, '', `AKCp${'X'.repeat(69)}`],
  ['clickhouse-cloud-key', `key = 4b1d${rand(AN, 38)}`, '', `key = 4b1d${'X'.repeat(38)}`],
  ['flyio-token', `FLY_API_TOKEN=fo1_${rand(URLSAFE, 43)}`, '', 'fo1_short'],
  [
    'sidekiq-credentials',
    `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${rand(HEX, 8)}:${rand(HEX, 8)}`,
    '',
    'BUNDLE_GEMS__CONTRIBSYS__COM=${SIDEKIQ_CREDS}',
  ],
  ['okta-api-token', `okta token 00${rand(URLSAFE, 40)}`, '', `00${rand(URLSAFE, 40)}`],
  ['meraki-api-key', `meraki: ${rand(HEX, 40)}`, '', 'meraki: aaaaaaaaaa1111111111bbbbbbbbbb2222222222'],
  [
    'aws-bedrock-short-term-key',
    `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${rand(B64, 200)}`,
    '',
    'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29x',
  ],
  ['linear-api-key', `lin_api_${rand(AN, 40)}`, '', 'lin_api_'],
  ['replicate-api-token', `r8_${rand(AN, 37)}`, '', 'r8_'],
  ['openai-style-api-key', `sk-${rand(AN, 48)}`, '', `sk-${'a'.repeat(48)}`],
  [
    'facebook-app-token',
    `facebook ${rand('123456789', 1)}${rand(D, 15)}|${rand(URLSAFE, 27)}`,
    '',
    `${rand('123456789', 1)}${rand(D, 15)}|${rand(URLSAFE, 27)}`,
  ],
  ['facebook-access-token', `token=EAA${rand(AN, 120)}`, '', `token=EAA${rand(UP, 120)}`],
  ['gitlab-runner-registration-token', `GR1348941${rand(URLSAFE, 20)}`, '', 'GR134894112312312312312312312'],
  ['aws-bedrock-api-key', `ABSKQmVkcm9ja0FQSUtleS${rand(B64, 120)}`, '', 'ABSKQmVkcm9ja0FQSUtleS1EXAMPLE'],
  [
    'private-key',
    `-----BEGIN RSA PRIVATE KEY-----\n${rand(B64, 64)}\n${rand(B64, 64)}\n-----END RSA PRIVATE KEY-----`,
    '',
    '-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----',
  ],
  [
    'private-key',
    `{"private_key": "-----BEGIN PRIVATE KEY-----\\n${rand(B64, 64)}\\n-----END PRIVATE KEY-----\\n"}`,
    '',
    '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
  ],
  [
    'url-password',
    `DATABASE_URL=postgres://app:${rand(AN, 16)}@db.internal:5432/main`,
    '',
    'postgres://user:password@localhost/db',
  ],
  ['url-password', `https://cafeb4b3:d3adb33f@example.org`, '', 'mysql://root:${MYSQL_PASSWORD}@db/app'],
  [
    'connection-string-password',
    `Server=db;Database=app;User Id=sa;Password=${rand(AN, 14)};`,
    '',
    'Server=db;Password=changeme;',
  ],
  [
    'curl-basic-auth',
    `curl -u developer:${rand(AN, 16)} https://api.example.com`,
    '',
    'curl -u $USER:$TOKEN https://api.example.com',
  ],
  [
    'curl-basic-auth',
    `curl --user ":${rand(AN, 12)}!" https://api.example.com`,
    '',
    'curl -u "username:password" https://x',
  ],
  [
    'http-authorization-header',
    `Authorization: Bearer ${rand(URLSAFE, 40)}`,
    '',
    'Authorization: Bearer <token>',
  ],
  [
    'http-authorization-header',
    `Authorization: Basic ${Buffer.from(`admin:${rand(AN, 12)}`).toString('base64')}`,
    '',
    `Authorization: Basic ${b64url(JSON.stringify({ a: 1 }))}`,
  ],
  ['generic-secret', `client_secret: "${rand(AN, 32)}"`, '', 'client_secret: "<insert secret here>"'],
  [
    'generic-secret',
    `DB_PASSWORD=${rand(LO, 5)}${rand(D, 2)}!${rand(UP, 3)}`,
    '',
    'password = os.environ["DB_PASSWORD"]',
  ],
  ['generic-secret', `"api_key": "${rand(AN, 24)}"`, '', 'password_min_length = 12'],
  [
    'generic-secret',
    `if password == "${rand(LO, 4)}${rand(D, 3)}${rand(UP, 2)}":`,
    '',
    'if password == other_password:',
  ],
];

describe('context-gated and structural detectors', () => {
  for (const [id, text, , lookalike] of CONTEXT_CASES) {
    it(`${id}: true example and look-alike`, () => {
      const types = scanSecrets(text).findings.map((f) => f.type);
      assert.ok(types.includes(`secret.${id}`), `expected secret.${id} in ${JSON.stringify(types)}`);
      assert.deepEqual(
        scanSecrets(lookalike).findings.map((f) => f.type),
        [],
      );
    });
  }

  it('scores a bare Google API key below the default threshold and a keyed one above it', () => {
    const key = `AIzaSy${rand(URLSAFE, 33)}`;
    assert.equal(createSecretDetector({ threshold: 0.4 })(key)[0]?.score, 0.45);
    assert.equal(scanSecrets(`apiKey: "${key}"`).findings[0]?.score, 0.85);
  });
});

describe('findings', () => {
  it('never carry the secret in reason or details, and offsets point at it', () => {
    const secret = `ghp_${rand(AN, 36)}`;
    const text = `export GITHUB_TOKEN=${secret}`;
    const result = scanSecrets(text);
    assert.equal(result.flagged, true);
    assert.equal(result.score, 0.97);
    for (const f of result.findings) {
      assert.ok(!f.reason.includes(secret));
      assert.ok(!JSON.stringify(f.details).includes(secret));
      assert.equal(f.entity, 'GITHUB_TOKEN');
    }
    assert.equal(text.slice(result.findings[0]!.start, result.findings[0]!.end), secret);
  });

  it('keeps the most specific rule when detectors overlap', () => {
    const text = `api_key = "ghp_${rand(AN, 36)}"`;
    assert.deepEqual(
      scanSecrets(text).findings.map((f) => f.type),
      ['secret.github-token'],
    );
  });

  it('bounds a private key without an end marker', () => {
    const text = `-----BEGIN PRIVATE KEY-----\n${rand(B64, 6000)}`;
    const [finding] = scanSecrets(text).findings;
    assert.ok(finding);
    assert.equal(finding.end - finding.start, secretsInput.create({ action: 'block' }).maxFindingLength);
  });

  it('honours disabledRules and the threshold', () => {
    const text = `token: ghp_${rand(AN, 36)}`;
    assert.deepEqual(createSecretDetector({ disabledRules: ['github-token', 'generic-secret'] })(text), []);
    assert.deepEqual(createSecretDetector({ threshold: 0.99 })(text), []);
  });

  it('reports nothing on ordinary prose and code', () => {
    for (const text of [
      'The token_type is "bearer" and expires_in is 3600.',
      'password = "i dont like you, jacob"',
      '    if password == provided_password:',
      'const password = await prompt("Password: ");',
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'uuid 550e8400-e29b-41d4-a716-446655440000',
      'Use a secret manager; never hard-code the API key.',
    ]) {
      assert.deepEqual(scanSecrets(text).findings, [], text);
    }
  });
});

describe('helpers', () => {
  const placeholders: readonly [string, boolean][] = [
    ['xxxxxxxxxxxxxxxx', true],
    ['<your-api-key>', true],
    ['${API_KEY}', true],
    ['AKIAIOSFODNN7EXAMPLE', true],
    ['changeme', true],
    ['abcdefghijklmnop', true],
    ['1234567890', true],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', true],
    ['kJ8#mQ2$vL9pX4wZ', false],
    ['d3adb33f', false],
  ];
  for (const [value, expected] of placeholders) {
    it(`isPlaceholder(${value}) is ${expected}`, () => {
      assert.equal(isPlaceholder(value), expected);
    });
  }

  it('computes Shannon entropy', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
  });

  it('validates JWT structure and claims', () => {
    assert.equal(jwtValid(jwt({ sub: 'x' })), true);
    assert.equal(jwtHasClaims(jwt({ sub: 'x' })), true);
    assert.equal(jwtHasClaims(jwt({ hello: 'x' })), false);
    assert.equal(jwtValid(`${b64url('not json')}.${b64url('{}')}.sig`), false);
  });
});

describe('secrets checks', () => {
  it('declare stage, actions and a bounded maxFindingLength', () => {
    assert.equal(secretsInput.stage, 'input');
    assert.equal(secretsOutput.stage, 'output');
    assert.deepEqual([...secretsInput.actions], ['allow', 'block', 'redact', 'mask', 'hash']);
    const scanner = secretsOutput.create(secretsOutput.options.parse({ action: 'redact' }));
    assert.equal(scanner.maxFindingLength, 4096);
  });

  it('validate options: unknown rule ids and actions are rejected', () => {
    assert.equal(
      secretsInput.options.safeParse({ action: 'block', disabledRules: ['generic-secret'] }).success,
      true,
    );
    assert.equal(secretsInput.options.safeParse({ action: 'block', disabledRules: ['nope'] }).success, false);
    assert.equal(secretsInput.options.safeParse({ action: 'pseudonymize' }).success, false);
  });

  it('scan() returns the same findings as scanSecrets', async () => {
    const text = `token ghp_${rand(AN, 36)}`;
    const scanner = secretsInput.create({ action: 'block' });
    const findings = await scanner.scan(text, { stage: 'input', origin: 'prompt', role: 'user' });
    assert.deepEqual(findings, scanSecrets(text).findings);
  });
});

describe('docs/sensitive-data.md', () => {
  it('documents every secret rule id', async () => {
    const doc = await readFile(new URL('../../docs/sensitive-data.md', import.meta.url), 'utf8');
    assert.deepEqual(
      SECRET_RULE_IDS.filter((id) => !doc.includes(`\`${id}\``)),
      [],
    );
  });
});

describe('hostile input', () => {
  it('handles many key headers without footers and long key-name runs', () => {
    assert.deepEqual(scanSecrets('-----BEGIN PRIVATE KEY-----'.repeat(5000)).findings, []);
    assert.deepEqual(scanSecrets('token'.repeat(40000)).findings, []);
    assert.deepEqual(scanSecrets(`curl ${'-u x '.repeat(20000)}`).findings, []);
  });
});
