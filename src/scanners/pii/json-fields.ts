import type { PiiCandidate, PiiEntity } from './entities.ts';

// Names and addresses in structured data (tool-call arguments, tool results, API payloads) are
// labelled by their keys: `{"customer_name": "Jane Roe", "city": "Berlin"}`. The name tagger reads
// prose; this reads the key. Keys are compared without case, `_` or `-` (firstName = first_name).

const KEYS: Readonly<Record<string, PiiEntity>> = Object.fromEntries([
  ...[
    'name',
    'fullname',
    'firstname',
    'lastname',
    'surname',
    'givenname',
    'familyname',
    'middlename',
    'customername',
    'contactname',
    'clientname',
    'patientname',
    'employeename',
    'recipientname',
    'sendername',
    'cardholder',
    'cardholdername',
    'accountholder',
    'holdername',
    'author',
    'patient',
    'recipient',
    'beneficiary',
    'displayname',
  ].map((k) => [k, 'PERSON'] as const),
  ...[
    'address',
    'street',
    'streetaddress',
    'address1',
    'address2',
    'addressline1',
    'addressline2',
    'city',
    'town',
    'country',
    'homeaddress',
    'billingaddress',
    'shippingaddress',
    'postaladdress',
    'mailingaddress',
    'location',
    'birthplace',
    'placeofbirth',
  ].map((k) => [k, 'LOCATION'] as const),
  ...['company', 'companyname', 'organization', 'organisation', 'orgname', 'employer', 'businessname'].map(
    (k) => [k, 'ORGANIZATION'] as const,
  ),
]);

// "key" : "value" — the value without escapes or line breaks, at most 200 characters.
const FIELD = /"(?<key>[\w-]{1,40})"\s{0,4}:\s{0,4}"(?<value>[^"\\\n]{1,200})"/g;
const HAS_LETTER = /\p{L}/u;
const MAX_WORDS = 12;

export function findJsonNames(text: string): PiiCandidate[] {
  if (!text.includes('":')) return [];
  const out: PiiCandidate[] = [];
  for (const m of text.matchAll(FIELD)) {
    const key = (m.groups?.key ?? '').toLowerCase().replace(/[_-]/g, '');
    const value = m.groups?.value ?? '';
    const entity = KEYS[key];
    if (entity === undefined || !HAS_LETTER.test(value) || value.split(/\s+/).length > MAX_WORDS) continue;
    const start = m.index + m[0].length - value.length - 1;
    out.push({ entity, start, end: start + value.length, score: 0.8, reason: `value of a "${key}" field` });
  }
  return out;
}
