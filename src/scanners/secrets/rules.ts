// Parapet's own secret rules, written from each provider's documented token format. Every rule
// has a stable id (it appears in findings as `secret.<id>` and in policies), an entity name, a
// confidence, and a literal prefilter so that texts without the prefix cost one indexOf.
//
// Patterns: compiled once here; each one starts with a literal or a bounded class and has no
// nested unbounded quantifiers (eslint-plugin-regexp's no-super-linear-backtracking/move pass).

export interface SecretRule {
  readonly id: string;
  readonly entity: string;
  readonly description: string;
  /** Literals (case-sensitive) one of which must occur in the text for the pattern to run. */
  readonly prefilter: readonly string[];
  /** Global pattern; a group named `secret` narrows the reported span. */
  readonly pattern: RegExp;
  readonly confidence: number;
  /** Words that must appear shortly before the match; without them `withoutContext` is the score. */
  readonly context?: RegExp;
  /** Score when `context` is set but absent; the match is dropped when this is undefined. */
  readonly withoutContext?: number;
  /** Minimum Shannon entropy (bits/char) of the secret. */
  readonly minEntropy?: number;
  /** Extra structural validation of the secret (checksums, decoded headers). */
  readonly validate?: (secret: string) => boolean;
}

function base64Json(segment: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT (RFC 7519): the header decodes to a JSON object naming an algorithm, the payload to JSON. */
export function jwtValid(token: string): boolean {
  const [header = '', payload = ''] = token.split('.');
  const h = base64Json(header);
  return typeof h?.alg === 'string' && base64Json(payload) !== undefined;
}

const REGISTERED_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'email',
  'scope',
  'uid',
  'user_id',
  'role',
];

/** JWTs that carry identity or expiry claims are bearer credentials; bare test payloads are not. */
export function jwtHasClaims(token: string): boolean {
  const payload = base64Json(token.split('.')[1] ?? '');
  return payload !== undefined && REGISTERED_CLAIMS.some((c) => c in payload);
}

const KEY_CONTEXT = /(?:key|token|secret|api|auth|credential|firebase|google|gcp|maps)/i;

export const SECRET_RULES: readonly SecretRule[] = [
  // --- Cloud ---------------------------------------------------------------------------------
  {
    id: 'aws-access-key-id',
    entity: 'AWS_ACCESS_KEY',
    description: 'AWS access key id (AKIA long-term, ASIA temporary; 20 upper-case base32 characters)',
    prefilter: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    pattern: /(?<![\dA-Z])(?:AKIA|ASIA|ABIA|ACCA|A3T[\dA-Z])[2-7A-Z]{16}(?![\dA-Z])/g,
    confidence: 0.95,
  },
  {
    id: 'aws-secret-access-key',
    entity: 'AWS_SECRET_KEY',
    description: 'AWS secret access key (40 base64 characters) next to its variable name',
    prefilter: ['ecret', 'ECRET'],
    pattern:
      /(?:aws)?_?secret_?(?:access_?)?key["']?\s{0,4}[:=]{1,2}>?\s{0,4}["']?(?<secret>[\d+/A-Z]{40})(?![\d+/=A-Z])/gi,
    confidence: 0.9,
    minEntropy: 4,
  },
  {
    id: 'aws-bedrock-api-key',
    entity: 'AWS_BEDROCK_API_KEY',
    description: 'Amazon Bedrock long-term API key (ABSK + base64 of "BedrockAPIKey-…")',
    prefilter: ['ABSKQmVkcm9ja0FQSUtleS'],
    pattern: /ABSKQmVkcm9ja0FQSUtleS[\d+/A-Za-z]{100,200}={0,2}(?![\d+/=A-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'aws-bedrock-short-term-key',
    entity: 'AWS_BEDROCK_API_KEY',
    description:
      'Amazon Bedrock short-term API key (bedrock-api-key- + base64 of a presigned bedrock.amazonaws.com URL)',
    prefilter: ['bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'],
    pattern: /bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[\d+/A-Za-z]{100,4000}={0,2}(?![\d+/=A-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'gcp-api-key',
    entity: 'GCP_API_KEY',
    description:
      'Google API key (AIza + 35 characters). Browser keys are often public by design, so a bare key scores low; next to a key name it scores high',
    prefilter: ['AIza'],
    pattern: /(?<![\w-])AIza[\w-]{35}(?![\w-])/g,
    confidence: 0.85,
    context: KEY_CONTEXT,
    withoutContext: 0.45,
  },
  {
    id: 'gcp-oauth-client-secret',
    entity: 'GCP_OAUTH_CLIENT_SECRET',
    description: 'Google OAuth client secret (GOCSPX- + 28 characters)',
    prefilter: ['GOCSPX-'],
    pattern: /GOCSPX-[\w-]{28}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'gcp-service-account-key-id',
    entity: 'GCP_SERVICE_ACCOUNT_KEY',
    description: 'Google service-account JSON key file (its private_key_id)',
    prefilter: ['private_key_id'],
    pattern: /"private_key_id"\s{0,4}:\s{0,4}"(?<secret>[\da-f]{40})"/g,
    confidence: 0.9,
  },
  {
    id: 'azure-ad-client-secret',
    entity: 'AZURE_CLIENT_SECRET',
    description:
      'Microsoft Entra ID (Azure AD) application client secret (3 chars, a digit, "Q~", 31–34 chars)',
    prefilter: ['Q~'],
    pattern: /(?<![\w.~-])[\w.~-]{3}\dQ~[\w.~-]{31,34}(?![\w.~-])/g,
    confidence: 0.9,
  },
  {
    id: 'azure-storage-account-key',
    entity: 'AZURE_STORAGE_KEY',
    description: 'Azure Storage account key in a connection string (AccountKey=…, 88 base64 characters)',
    prefilter: ['AccountKey='],
    pattern: /AccountKey=(?<secret>[\d+/A-Za-z]{86}==)/g,
    confidence: 0.95,
  },
  {
    id: 'azure-sas-token',
    entity: 'AZURE_SAS_TOKEN',
    description: 'Azure shared access signature (sv=…&sig=…) with its signature',
    prefilter: ['sig='],
    pattern: /[?&]sv=\d{4}-\d{2}-\d{2}&[^\s"'<>]{0,300}?sig=(?<secret>[\d%+/A-Za-z]{40,100})/g,
    confidence: 0.9,
  },
  {
    id: 'digitalocean-token',
    entity: 'DIGITALOCEAN_TOKEN',
    description: 'DigitalOcean personal access / OAuth / refresh token (dop_v1_, doo_v1_, dor_v1_ + 64 hex)',
    prefilter: ['_v1_'],
    pattern: /\bdo[opr]_v1_[\da-f]{64}(?![\da-f])/g,
    confidence: 0.95,
  },
  {
    id: 'databricks-token',
    entity: 'DATABRICKS_TOKEN',
    description: 'Databricks personal access token (dapi + 32 hex)',
    prefilter: ['dapi'],
    pattern: /\bdapi[\da-h]{32}(?:-\d)?(?![\da-z])/g,
    confidence: 0.9,
  },
  // --- Version control and CI ----------------------------------------------------------------
  {
    id: 'github-token',
    entity: 'GITHUB_TOKEN',
    description:
      'GitHub token (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh; 36 base62 characters)',
    prefilter: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /\bgh[oprsu]_[\dA-Za-z]{36}(?![\dA-Za-z])/g,
    confidence: 0.97,
  },
  {
    id: 'github-fine-grained-pat',
    entity: 'GITHUB_TOKEN',
    description: 'GitHub fine-grained personal access token (github_pat_ + 22 + _ + 59 characters)',
    prefilter: ['github_pat_'],
    pattern: /\bgithub_pat_[\dA-Za-z]{22}_[\dA-Za-z]{59}(?![\dA-Za-z])/g,
    confidence: 0.97,
  },
  {
    id: 'gitlab-token',
    entity: 'GITLAB_TOKEN',
    description:
      'GitLab token (glpat- personal, gldt- deploy, glrt- runner, glptt- trigger, glcbt- CI job, …)',
    prefilter: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glptt-',
      'glcbt-',
      'glsoat-',
      'glffct-',
      'glagent-',
      'glimt-',
      'gloas-',
    ],
    pattern:
      /\bgl(?:pat|dt|rt|ptt|cbt|soat|ffct|agent|imt|oas)-[\w-]{20,64}(?:\.[\w-]{2,12}){0,2}(?![\w.-])/g,
    confidence: 0.95,
  },
  {
    id: 'gitlab-runner-registration-token',
    entity: 'GITLAB_TOKEN',
    description: 'GitLab runner registration token (GR1348941 + 20 characters)',
    prefilter: ['GR1348941'],
    pattern: /\bGR1348941[\w-]{20}(?![\w-])/g,
    confidence: 0.95,
    minEntropy: 3,
  },
  {
    id: 'npm-token',
    entity: 'NPM_TOKEN',
    description: 'npm access token (npm_ + 36 base62 characters)',
    prefilter: ['npm_'],
    pattern: /\bnpm_[\dA-Za-z]{36}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'pypi-token',
    entity: 'PYPI_TOKEN',
    description: 'PyPI API token (pypi- + macaroon whose base64 starts with "pypi.org")',
    prefilter: ['pypi-AgEIcHlwaS5vcmc'],
    pattern: /pypi-AgEIcHlwaS5vcmc[\w-]{50,300}(?![\w-])/g,
    confidence: 0.97,
  },
  {
    id: 'sourcegraph-token',
    entity: 'SOURCEGRAPH_TOKEN',
    description: 'Sourcegraph access token (sgp_ + optional instance id or "local" + 40 hex)',
    prefilter: ['sgp_'],
    pattern: /\bsgp_(?:(?:[\dA-Fa-f]{16}|local)_)?[\dA-Fa-f]{40}(?![\dA-Za-z])/g,
    confidence: 0.9,
    minEntropy: 3,
  },
  {
    id: 'sourcegraph-legacy-token',
    entity: 'SOURCEGRAPH_TOKEN',
    description: 'Sourcegraph legacy access token (40 hex) next to the word Sourcegraph',
    prefilter: ['ourcegraph', 'OURCEGRAPH'],
    pattern: /(?<![\dA-Z])[\dA-F]{40}(?![\dA-Z])/gi,
    confidence: 0.8,
    context: /sourcegraph/i,
    minEntropy: 3,
  },
  {
    id: 'vault-token',
    entity: 'VAULT_TOKEN',
    description: 'HashiCorp Vault service or batch token (hvs. / hvb. + 90 or more characters)',
    prefilter: ['hvs.', 'hvb.'],
    pattern: /\bhv[bs]\.[\w-]{90,300}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'vault-legacy-token',
    entity: 'VAULT_TOKEN',
    description: 'HashiCorp Vault legacy service token (s. + 24 characters) next to the word Vault',
    // The context word is required, so it is also the prefilter.
    prefilter: ['vault', 'Vault', 'VAULT'],
    pattern: /(?<![\w.])s\.[\dA-Za-z]{24}(?![\w.])/g,
    confidence: 0.85,
    context: /vault/i,
    validate: (s) => /\d/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s),
  },
  {
    id: 'terraform-cloud-token',
    entity: 'TERRAFORM_TOKEN',
    description: 'Terraform Cloud / Enterprise API token (14 chars + .atlasv1. + 60–70 chars)',
    prefilter: ['.atlasv1.'],
    pattern: /\b[\dA-Za-z]{14}\.atlasv1\.[\w-]{60,70}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'heroku-api-key',
    entity: 'HEROKU_API_KEY',
    description: 'Heroku API key (HRKU-AA + 58 characters)',
    prefilter: ['HRKU-'],
    pattern: /\bHRKU-AA[\w-]{58}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'octopus-deploy-api-key',
    entity: 'OCTOPUS_DEPLOY_API_KEY',
    description: 'Octopus Deploy API key (API- + 26 upper-case letters and digits)',
    prefilter: ['API-'],
    pattern: /(?<![\w/-])API-[\dA-Z]{26}(?![\w-])/g,
    confidence: 0.8,
    minEntropy: 3.5,
  },
  {
    id: 'infracost-api-token',
    entity: 'INFRACOST_TOKEN',
    description: 'Infracost API token (ico- + 32 characters)',
    prefilter: ['ico-'],
    pattern: /(?<![\w.-])ico-[\dA-Za-z]{32}(?![\w-])/g,
    confidence: 0.9,
  },
  {
    id: 'readme-api-key',
    entity: 'README_API_KEY',
    description: 'ReadMe API key (rdme_ + 70 lower-case letters and digits)',
    prefilter: ['rdme_'],
    pattern: /\brdme_[\da-z]{70}(?![\da-z])/g,
    confidence: 0.95,
  },
  {
    id: 'artifactory-token',
    entity: 'ARTIFACTORY_TOKEN',
    description:
      'JFrog Artifactory API key (AKCp + 69 characters) or reference token (cmVmd + 59 characters)',
    prefilter: ['AKCp', 'cmVmd'],
    pattern: /(?<![\dA-Za-z])(?:AKCp[\dA-Za-z]{69}|cmVmd[\dA-Za-z]{59})(?![\dA-Za-z])/g,
    confidence: 0.9,
  },
  {
    id: 'clickhouse-cloud-key',
    entity: 'CLICKHOUSE_KEY',
    description: 'ClickHouse Cloud API secret key (4b1d + 38 characters)',
    prefilter: ['4b1d'],
    pattern: /(?<![\dA-Za-z])4b1d[\dA-Za-z]{38}(?![\dA-Za-z])/g,
    confidence: 0.85,
  },
  {
    id: 'flyio-token',
    entity: 'FLYIO_TOKEN',
    description: 'Fly.io access token (fo1_ + 43 characters, or fm1/fm2 macaroon tokens)',
    prefilter: ['fo1_', 'fm1', 'fm2_'],
    pattern: /\b(?:fo1_[\w-]{43}|fm(?:1[ar]|2)_[\d+/A-Za-z]{100,2000}={0,3})(?![\w+/=-])/g,
    confidence: 0.9,
  },
  {
    id: 'sidekiq-credentials',
    entity: 'SIDEKIQ_CREDENTIALS',
    description: 'Sidekiq Pro/Enterprise gem-server credentials (BUNDLE_…__CONTRIBSYS__COM=hex:hex)',
    prefilter: ['CONTRIBSYS__COM'],
    pattern:
      /BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?\s{0,3}[:=]\s{0,3}["']?(?<secret>[\da-f]{8}:[\da-f]{8})(?![\da-f])/gi,
    confidence: 0.9,
  },
  {
    id: 'okta-api-token',
    entity: 'OKTA_TOKEN',
    description: 'Okta API token (00 + 40 characters) next to the word Okta',
    prefilter: ['kta', 'KTA'],
    pattern: /(?<![\w=-])00[\w=-]{40}(?![\w=-])/g,
    confidence: 0.85,
    context: /okta/i,
    minEntropy: 3.5,
  },
  {
    id: 'meraki-api-key',
    entity: 'MERAKI_API_KEY',
    description: 'Cisco Meraki API key (40 hex) next to the word Meraki',
    prefilter: ['eraki', 'ERAKI'],
    pattern: /(?<![\dA-Za-z])[\da-f]{40}(?![\dA-Za-z])/g,
    confidence: 0.85,
    context: /meraki/i,
    minEntropy: 3,
  },
  {
    id: 'pulumi-token',
    entity: 'PULUMI_TOKEN',
    description: 'Pulumi access token (pul- + 40 hex)',
    prefilter: ['pul-'],
    pattern: /\bpul-[\da-f]{40}(?![\da-z])/g,
    confidence: 0.95,
  },
  {
    id: 'doppler-token',
    entity: 'DOPPLER_TOKEN',
    description: 'Doppler service token (dp.pt. / dp.st. + 43 characters)',
    prefilter: ['dp.'],
    pattern: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[\dA-Za-z]{40,44}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'onepassword-service-account-token',
    entity: 'ONEPASSWORD_TOKEN',
    description: '1Password service-account token (ops_ + base64 JSON)',
    prefilter: ['ops_eyJ'],
    pattern: /\bops_eyJ[\d+/A-Za-z]{250,2000}={0,3}(?![\d+/=A-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'onepassword-secret-key',
    entity: 'ONEPASSWORD_SECRET_KEY',
    description: '1Password account secret key (A3-XXXXXX-…)',
    prefilter: ['A3-'],
    pattern:
      /\bA3-[\dA-Z]{6}-(?:[\dA-Z]{11}|[\dA-Z]{6}-[\dA-Z]{5})-[\dA-Z]{5}-[\dA-Z]{5}-[\dA-Z]{5}(?![\dA-Z])/g,
    confidence: 0.95,
  },
  // --- Chat and SaaS -------------------------------------------------------------------------
  {
    id: 'slack-token',
    entity: 'SLACK_TOKEN',
    description:
      'Slack bot/user/app token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs- with numeric ids and a secret part)',
    prefilter: ['xox'],
    pattern: /\bxox[abprs]-(?:\d{6,16}-){1,3}[\dA-Za-z]{16,64}(?![\dA-Za-z-])/g,
    confidence: 0.95,
  },
  {
    id: 'slack-config-token',
    entity: 'SLACK_TOKEN',
    description: 'Slack configuration and refresh token (xoxe.xoxp-1-…, xoxe-1-…)',
    prefilter: ['xoxe'],
    pattern: /\bxoxe(?:\.xox[bp])?-\d-[\dA-Za-z]{140,260}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'slack-app-token',
    entity: 'SLACK_TOKEN',
    description: 'Slack app-level token (xapp-1-A…-digits-hex)',
    prefilter: ['xapp-'],
    pattern: /\bxapp-\d-[\dA-Z]{8,14}-\d{10,16}-[\da-f]{64}(?![\da-z])/g,
    confidence: 0.95,
  },
  {
    id: 'slack-webhook-url',
    entity: 'SLACK_WEBHOOK',
    description: 'Slack incoming webhook / workflow trigger URL',
    prefilter: ['hooks.slack.com'],
    pattern:
      /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/T[\dA-Z]{6,12}\/[\dA-Z]{6,13}\/(?:\d{6,24}\/)?[\dA-Za-z]{16,48}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'discord-bot-token',
    entity: 'DISCORD_TOKEN',
    description: 'Discord bot token (base64 user id . timestamp . HMAC)',
    prefilter: ['.'],
    pattern: /(?<![\w-])[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,38}(?![\w-])/g,
    confidence: 0.85,
    validate: (s) =>
      /^\d{17,20}$/.test(Buffer.from(s.slice(0, s.indexOf('.')), 'base64url').toString('latin1')),
  },
  {
    id: 'discord-webhook-url',
    entity: 'DISCORD_WEBHOOK',
    description: 'Discord webhook URL (/api/webhooks/<id>/<token>)',
    prefilter: ['/api/webhooks/'],
    pattern: /discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[\w-]{60,68}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'telegram-bot-token',
    entity: 'TELEGRAM_BOT_TOKEN',
    description: 'Telegram Bot API token (<bot id>:<35 characters>)',
    prefilter: [':AA'],
    pattern: /(?<![\w:])\d{8,10}:AA[\w-]{33}(?![\w-])/g,
    confidence: 0.9,
  },
  {
    id: 'twilio-api-key',
    entity: 'TWILIO_API_KEY',
    description: 'Twilio API key SID (SK + 32 hex)',
    prefilter: ['SK'],
    pattern: /\bSK[\da-f]{32}(?![\da-z])/g,
    confidence: 0.85,
    minEntropy: 3,
  },
  {
    id: 'twilio-auth-token',
    entity: 'TWILIO_AUTH_TOKEN',
    description: 'Twilio auth token (32 hex) next to the word Twilio',
    prefilter: ['wilio', 'WILIO'],
    pattern: /(?<![\dA-Za-z])[\da-f]{32}(?![\dA-Za-z])/g,
    confidence: 0.85,
    context: /twilio/i,
    minEntropy: 3,
  },
  {
    id: 'sendgrid-api-key',
    entity: 'SENDGRID_API_KEY',
    description: 'SendGrid API key (SG. + 22 + . + 43 characters)',
    prefilter: ['SG.'],
    pattern: /\bSG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g,
    confidence: 0.97,
  },
  {
    id: 'mailgun-api-key',
    entity: 'MAILGUN_API_KEY',
    description: 'Mailgun private API key (key- + 32 hex)',
    prefilter: ['key-'],
    pattern: /\bkey-[\da-f]{32}(?![\da-z])/g,
    confidence: 0.85,
    minEntropy: 3,
  },
  {
    id: 'mailchimp-api-key',
    entity: 'MAILCHIMP_API_KEY',
    description: 'Mailchimp API key (32 hex + -us<datacenter>)',
    prefilter: ['-us'],
    pattern: /(?<![\dA-Za-z])[\da-f]{32}-us\d{1,2}(?!\d)/g,
    confidence: 0.9,
  },
  {
    id: 'notion-token',
    entity: 'NOTION_TOKEN',
    description: 'Notion integration token (ntn_ + 11 digits + 35 characters)',
    prefilter: ['ntn_'],
    pattern: /\bntn_\d{11}[\dA-Za-z]{35}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'linear-api-key',
    entity: 'LINEAR_API_KEY',
    description: 'Linear API key (lin_api_ + 40 characters)',
    prefilter: ['lin_api_'],
    pattern: /\blin_api_[\dA-Za-z]{40}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'postman-api-key',
    entity: 'POSTMAN_API_KEY',
    description: 'Postman API key (PMAK- + 24 hex + - + 34 hex)',
    prefilter: ['PMAK-'],
    pattern: /\bPMAK-[\da-f]{24}-[\da-f]{34}(?![\da-z])/g,
    confidence: 0.97,
  },
  {
    id: 'shopify-token',
    entity: 'SHOPIFY_TOKEN',
    description:
      'Shopify access / custom-app / private-app token or shared secret (shpat_, shpca_, shppa_, shpss_ + 32 hex)',
    prefilter: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: /\bshp(?:at|ca|pa|ss)_[\dA-Fa-f]{32}(?![\dA-Za-z])/g,
    confidence: 0.97,
  },
  {
    id: 'grafana-token',
    entity: 'GRAFANA_TOKEN',
    description: 'Grafana Cloud access policy token (glc_) or service-account token (glsa_)',
    prefilter: ['glc_', 'glsa_'],
    pattern: /\b(?:glc_[\d+/A-Za-z]{32,400}={0,2}|glsa_[\dA-Za-z]{32}_[\dA-Fa-f]{8})(?![\d+/=A-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'facebook-access-token',
    entity: 'FACEBOOK_TOKEN',
    description: 'Facebook/Meta user or page access token (EAA + 90 or more characters)',
    prefilter: ['EAA'],
    pattern: /\bEAA[\dA-Za-z]{90,300}(?![\w-])/g,
    confidence: 0.85,
    validate: (s) => /[a-z]/.test(s.slice(3)),
  },
  {
    id: 'facebook-app-token',
    entity: 'FACEBOOK_TOKEN',
    description:
      'Facebook/Meta app access token (app id|app secret, also URL-encoded) next to the word Facebook',
    // The context word is required, so it is also the prefilter.
    prefilter: ['acebook', 'ACEBOOK'],
    pattern: /(?<![\dA-Z])\d{15,16}(?:\||%7C)[\w-]{27,40}(?![\w-])/gi,
    confidence: 0.85,
    context: /facebook/i,
  },
  {
    id: 'facebook-app-secret',
    entity: 'FACEBOOK_TOKEN',
    description: 'Facebook/Meta app secret (32 hex) next to the word Facebook',
    prefilter: ['acebook', 'ACEBOOK'],
    pattern: /(?<![\dA-Za-z])[\da-f]{32}(?![\dA-Za-z])/g,
    confidence: 0.85,
    context: /facebook/i,
    minEntropy: 3,
  },
  // --- Payments ------------------------------------------------------------------------------
  {
    id: 'stripe-secret-key',
    entity: 'STRIPE_KEY',
    description: 'Stripe live secret or restricted key (sk_live_, rk_live_)',
    prefilter: ['k_live_'],
    pattern: /\b[rs]k_live_[\dA-Za-z]{24,247}(?![\dA-Za-z])/g,
    confidence: 0.97,
  },
  {
    id: 'stripe-test-key',
    entity: 'STRIPE_KEY',
    description:
      'Stripe test-mode secret or restricted key (sk_test_, rk_test_): no money moves, still a credential',
    prefilter: ['k_test_'],
    pattern: /\b[rs]k_test_[\dA-Za-z]{24,247}(?![\dA-Za-z])/g,
    confidence: 0.7,
  },
  {
    id: 'stripe-webhook-secret',
    entity: 'STRIPE_KEY',
    description: 'Stripe webhook signing secret (whsec_ + 32 or more characters)',
    prefilter: ['whsec_'],
    pattern: /\bwhsec_[\d+/A-Za-z]{32,64}(?![\d+/A-Za-z])/g,
    confidence: 0.9,
  },
  {
    id: 'square-token',
    entity: 'SQUARE_TOKEN',
    description: 'Square access token or OAuth secret (sq0atp-, sq0csp-)',
    prefilter: ['sq0'],
    pattern: /\bsq0(?:atp-[\w-]{22}|csp-[\w-]{43})(?![\w-])/g,
    confidence: 0.95,
  },
  // --- AI providers --------------------------------------------------------------------------
  {
    id: 'anthropic-api-key',
    entity: 'ANTHROPIC_API_KEY',
    description: 'Anthropic API or admin key (sk-ant-api03-… / sk-ant-admin01-…, 95 characters ending in AA)',
    prefilter: ['sk-ant-'],
    pattern: /\bsk-ant-[a-z]{3,5}\d{2}-[\w-]{93}AA(?![\w-])/g,
    confidence: 0.97,
  },
  {
    id: 'openai-api-key',
    entity: 'OPENAI_API_KEY',
    description:
      'OpenAI API key (sk-proj-, sk-svcacct-, sk-admin- project/service/admin keys, or legacy sk- with the T3BlbkFJ marker)',
    prefilter: ['sk-'],
    pattern:
      /\bsk-(?:(?:proj|svcacct|admin|None)-[\w-]{40,200}|[\dA-Za-z]{20}T3BlbkFJ[\dA-Za-z]{20})(?![\w-])/g,
    confidence: 0.95,
  },
  {
    id: 'openai-style-api-key',
    entity: 'OPENAI_API_KEY',
    description: 'OpenAI-style key (sk- + 48 base62 characters; also used by compatible providers)',
    prefilter: ['sk-'],
    pattern: /\bsk-[\dA-Za-z]{48}(?![\w-])/g,
    confidence: 0.8,
    minEntropy: 4,
  },
  {
    id: 'huggingface-token',
    entity: 'HUGGINGFACE_TOKEN',
    description: 'Hugging Face user or organization token (hf_ / api_org_ + 34 letters)',
    prefilter: ['hf_', 'api_org_'],
    pattern: /\b(?:hf_|api_org_)[A-Za-z]{34}(?![\dA-Za-z])/g,
    confidence: 0.9,
    validate: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s.slice(3)),
  },
  {
    id: 'groq-api-key',
    entity: 'GROQ_API_KEY',
    description: 'Groq API key (gsk_ + 52 characters)',
    prefilter: ['gsk_'],
    pattern: /\bgsk_[\dA-Za-z]{52}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  {
    id: 'replicate-api-token',
    entity: 'REPLICATE_TOKEN',
    description: 'Replicate API token (r8_ + 37 characters)',
    prefilter: ['r8_'],
    pattern: /\br8_[\dA-Za-z]{37}(?![\dA-Za-z])/g,
    confidence: 0.95,
  },
  // --- Keys and tokens in standard formats ---------------------------------------------------
  {
    id: 'age-secret-key',
    entity: 'AGE_SECRET_KEY',
    description: 'age encryption secret key (AGE-SECRET-KEY-1 + 58 bech32 characters)',
    prefilter: ['AGE-SECRET-KEY-1'],
    pattern: /AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}(?![\dA-Z])/g,
    confidence: 0.97,
  },
  {
    id: 'jwt',
    entity: 'JWT',
    description:
      'JSON Web Token whose header decodes to JSON with an algorithm and whose payload carries claims',
    prefilter: ['eyJ'],
    pattern: /(?<![\w-])eyJ[\w-]{10,1000}\.eyJ[\w-]{5,3000}\.[\w-]{0,1000}(?![\w-])/g,
    confidence: 0.85,
    validate: (s) => jwtValid(s) && jwtHasClaims(s),
  },
];
