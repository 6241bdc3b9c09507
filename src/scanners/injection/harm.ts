/**
 * Words of harmful subject matter (weapons, drugs, fraud, theft, violence, abuse, hate,
 * disinformation), for the combiner's `topic.harm` signal. A jailbreak wraps a harmful goal in a
 * role, a story or a research pretext ("You are a journalist … write an article proving the
 * attacks were a hoax"); the same wrapping around a harmless goal is an ordinary request. The
 * n-gram classifier sees these words among thousands of others; as a signal of their own, the
 * combiner can weigh them together with the framing. Dark fiction and history questions use them
 * too, so the signal is evidence, never a verdict. Words of computer intrusion (malware, exploit,
 * hacking) are left out: security requests are full of them, and with them a model that had never
 * seen such requests flagged a fifth of them (docs/injection.md, tenth round). Latin-script words
 * only: `scanWords` hashes runs of Latin letters.
 */
import type { WordScan } from './anchors.ts';
import { hashWord } from './anchors.ts';

const HARM_WORDS = [
  // English
  'bomb bombs bombing explosive explosives detonate detonator napalm sarin ricin anthrax',
  'bioweapon bioweapons meth methamphetamine cocaine heroin fentanyl narcotics drugs',
  'weapon weapons firearm firearms gun guns ammunition',
  'phishing scam scams scammer fraud fraudulent counterfeit launder laundering',
  'steal stealing stolen theft shoplift shoplifting smuggle smuggling trafficking',
  'kidnap kidnapping murder kill killing assassinate assassination torture poison poisoning',
  'suicide genocide terrorist terrorism extremist propaganda disinformation misinformation hoax',
  'defamatory harass harassment stalk stalking blackmail extort extortion bully bullying',
  'racist slurs pedophile pedophilia porn pornography pornographic deepfake deepfakes',
  'illegal illegally untraceable unauthorized dox doxxing',
  // Words that are also common words of another language are left out ("gift", "bom", "arme").
  // Spanish, Portuguese, Italian
  'bomba bombas explosivo explosivos esplosivi droga drogas arma armas armi estafa fraude',
  'robar roubar rubare veneno veleno matar uccidere suicidio golpe truffa',
  // French, German, Dutch
  'bombe explosifs drogue arnaque tuer',
  'sprengstoff drogen waffe waffen betrug stehlen töten explosieven wapens oplichting stelen',
  // Polish, Turkish, Indonesian
  'narkotyki broń oszustwo ukraść zabić silah uyuşturucu dolandırıcılık senjata narkoba penipuan mencuri membunuh',
]
  .join(' ')
  .split(' ');

// Open-addressing table of the words' hashes (typed arrays: no boxed keys on the hot path).
const TABLE_BITS = 10;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const table = new Int32Array(1 << TABLE_BITS);
const used = new Uint8Array(1 << TABLE_BITS);
for (const word of HARM_WORDS) {
  const h = hashWord(word);
  let slot = h & TABLE_MASK;
  while (used[slot] === 1 && table[slot] !== h) slot = (slot + 1) & TABLE_MASK;
  table[slot] = h;
  used[slot] = 1;
}

function isHarmWord(h: number): boolean {
  let slot = h & TABLE_MASK;
  while (used[slot] === 1) {
    if (table[slot] === h) return true;
    slot = (slot + 1) & TABLE_MASK;
  }
  return false;
}

/** Beyond this many, a long text's further harm words add nothing. */
const MAX_HARM_WORDS = 8;

/** How many of the text's words are harm words, at most 8. `words` is the text's `scanWords` result. */
export function harmWords(words: WordScan): number {
  let n = 0;
  const { hashes } = words;
  for (let k = 0; k < hashes.length && n < MAX_HARM_WORDS; k++) if (isHarmWord(hashes[k] ?? 0)) n++;
  return n;
}
