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
 * only: the word scan (`scanWords`) counts them, looking each word up in the table of anchor words
 * it probes anyway.
 */
import type { WordScan } from './anchors.ts';

/** The words, space-separated (an `ANCHOR_WORDS` group of anchors.ts). */
export const HARM_WORDS = [
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
].join(' ');

/** Beyond this many, a long text's further harm words add nothing. */
const MAX_HARM_WORDS = 8;

/** How many of the text's words are harm words, at most 8. `words` is the text's `scanWords` result. */
export function harmWords(words: WordScan): number {
  return Math.min(words.harmWords, MAX_HARM_WORDS);
}
