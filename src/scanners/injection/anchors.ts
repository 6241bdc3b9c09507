/**
 * Anchor-word prefilter for the rule families and structural patterns. Each pattern can only match
 * where one of a few words occurs (its verb, its object or its marker), so one pass over the words
 * of the text (hashing char codes, no string allocation) says which patterns are worth running.
 * Most ordinary text holds none of the anchors of most families, and the regexes, which dominate
 * the detector's time, are skipped.
 *
 * The anchors are a superset by construction: every alternative of every Latin-script pattern
 * has at least one anchor below, and text with letters outside the Latin scripts runs every
 * pattern (the CJK, Cyrillic, Arabic and Hindi patterns are not anchored).
 */

import { codeUnits, isLetterCode, ROT13_WORDS } from '../normalize/index.ts';
import { HARM_WORDS } from './harm.ts';

/**
 * Bits of `WordScan.mask`: one per rule family (looked up by id, so a family added later takes the
 * next free bit) and per structure pattern group; the English stopwords and the harm words are
 * also counted (`WordScan.englishStopwords`, `harmWords`).
 */
export const ANCHOR_BITS = {
  'injection.override': 1 << 0,
  'jailbreak.persona': 1 << 1,
  'injection.system_prompt_extraction': 1 << 2,
  'injection.chat_template': 1 << 3,
  'injection.delimiter': 1 << 4,
  'injection.payload_splitting': 1 << 5,
  'injection.tool_coercion': 1 << 6,
  'injection.exfiltration': 1 << 7,
  addresses: 1 << 8,
  roleShift: 1 << 9,
  englishStopword: 1 << 10,
  attackTopic: 1 << 11,
  selfReference: 1 << 12,
  rot13Words: 1 << 13,
  harmWord: 1 << 14,
  guardedSecret: 1 << 15,
  'injection.false_authority': 1 << 16,
  'injection.credential_request': 1 << 17,
} as const;

export type AnchorGroup = keyof typeof ANCHOR_BITS;

/**
 * What a text with letters outside the Latin scripts gets: every group's bit (its patterns in other
 * scripts cannot be ruled out by ASCII anchor words), but the English-stopword count and the harm
 * and ROT13 words, which are counts and a decoder's hint rather than anchors.
 */
const FOREIGN_TEXT_ANCHORS =
  Object.values(ANCHOR_BITS).reduce((all, bit) => all | bit, 0) &
  ~(ANCHOR_BITS.englishStopword | ANCHOR_BITS.rot13Words | ANCHOR_BITS.harmWord);

/**
 * Groups whose patterns are scanned over the whole text with `\b` word boundaries, anchored on a
 * word every match of an ASCII alternative holds whole, so skipping them is exact. A Latin letter
 * outside ASCII next to an ASCII one ("éattack") is a boundary to `\b` but not to this scan: the
 * ASCII runs of such words are looked up as words of their own.
 */
const BOUNDARY_ANCHORS = ANCHOR_BITS.attackTopic | ANCHOR_BITS.selfReference | ANCHOR_BITS.rot13Words;

/** Anchor bits of the ASCII-letter runs of `text.slice(start, end)`. */
function asciiRunBits(text: string, start: number, end: number): number {
  let bits = 0;
  let h = FNV_OFFSET;
  let inRun = false;
  const units = codeUnits(text);
  // One step past the end, as a space: the last run ends there.
  for (let i = start; i <= end; i++) {
    const code = i < end ? (units[i] ?? 0) : 32;
    if (code < 128 && latinLetter(code) >= 0) {
      h = Math.imul(h ^ latinLetter(code), FNV_PRIME);
      inRun = true;
    } else if (inRun) {
      bits |= anchorBits(h | 0);
      h = FNV_OFFSET;
      inRun = false;
    }
  }
  return bits;
}

const ANCHOR_WORDS: Readonly<Record<AnchorGroup, string>> = {
  'injection.override':
    'systeeminstructies obsolete void invalid outdated text ignore disregard forget skip override bypass discard abandon drop neglect overlook overwrite erase delete ' +
    'cancel nullify aside throw pay follow following obey listen instruction instructions task objective goal ' +
    'directive system rule rules now point henceforth instead ignora ignorad ignorar olvida olvide olvidad omite ' +
    'descarta desconsidera desconsidere esqueça esqueca dimentica trascura ignorez oublie oubliez ignoriere ' +
    'ignorieren vergiss vergessen missachte negeer vergeet zignoruj ignoruj zapomnij abaikan lupakan ' +
    'talimatları kuralları yönergeleri komutları earlier previous prior above old original preceding initial ' +
    'everything anything all none your todo tudo alles tutto tout tu sua ta deine il je la tua votre ' +
    'yukarıdaki önceki yeni ne no haz non esquece ignorera glöm strunta bortse ignorer glem se zapomeň ' +
    'nevšímej ignorujte ignoră ignorați uită hagyd felejtsd ohita unohda puuza sahau huwag kalimutan nueva ' +
    'nuevas nouvelle nouvelles neue nuova nuove nova novas nieuwe nya nye nowe nowa orders guidance directives ' +
    'guidelines constraints framework configuration programming restrictions consider treat regard deem declare ' +
    'gelten hinfällig ungültig aufgehoben außer comptent valent compte vaut côté cuenta cuentan vale valen ' +
    'aplica aplican sirve sirven rige rigen nieaktualne unieważnione anulowane nieważne valgono annullate ' +
    'scadute nulle anuladas canceladas revogadas valem above foregoing overlook scrap real actual true echte ' +
    'eigentliche wahre auftrag rolle mission davor vorher zuvor bisherige oben stop quit cease halt pause ' +
    'enough done scratch ditch nuevo nuovo übersetzen korrigieren zusammenzufassen traduire ' +
    'résumer corriger traducir resumir corregir tradurre riassumere correggere traduzir corrigir tłumaczyć ' +
    'streszczać poprawiać vertalen samenvatten corrigeren esquece ignoriere dimentica longer here ' +
    'antworte antwortest réponds répondras répondez responde responderás responda ' +
    'contesta rispondi risponderai odpowiadaj odpisuj antwoord jibu odpovídej odpovídáš ignorierst vergisst',
  'jailbreak.persona':
    'mode anything jailbreak jailbreaken jailbreaked jailbrok jailbroken jailbroked dan stan aim betterdan ' +
    'antigpt dude machiavellian restriction restrictions filter filters filtering limits limitations ' +
    'censorship moral morals morality ethics ethical boundaries safeguards policy policies guidelines rules laws ' +
    'refuse layer layers rails twice shadow dark alter sure certainly absolutely course novel story stories ' +
    'screenplay fiction fictional thriller chapter roleplay role hypothetical hypothetically thought lullaby ' +
    'bedtime grandma grandmother granny nana grandpa grandfather matter moderation censors safety twin ' +
    'translated zulu gaelic hmong guarani finge finja fingir abuelo abuela avó avô keycard keycards game ' +
    'tabletop rpg documentary training synthetic simulation historian einschränkungen regeln grenzen zensur ' +
    'world monde mundo welt mondo desprecia rechaza méprise ignoriert verachtet guion novela historia ficción ' +
    'juego roman jeu drehbuch geschichte rollenspiel romanzo gioco none off disabled unloaded stripped null ' +
    'penalise penalize penalises penalizes penalised penalized penalising penalizing tiene tienes traduites ' +
    'traducidas übersetzten ' +
    'decline reject say care worry character unfiltered uncensored amoral unethical unrestricted evil ' +
    'immoral rogue unaligned malicious responses answers replies outputs paragraphs hypothetical fictional ' +
    'imaginary restricciones restrições restrizioni einschränkungen beperkingen ograniczeń batasan censura ' +
    'censure zensur censuur cenzury sensor filtros filtri filtres filtrów límites limites limiti grenzen ' +
    'reglas regeln regole règles morale ética etica éthique ethik apologise apologize apologies disclaimer ' +
    'disclaimers warning warnings caveat caveats refusal refusals guardrails modo modalità modalita ' +
    'entwicklermodus ontwikkelaarsmodus utan uden uten fără ilman bila walang kısıtlamasız sınırsız ' +
    'sansürsüz filtresiz utvecklarläge udviklertilstand utviklermodus kehittäjätila korlátozások szabályok ' +
    'cenzúra geliştirici režim vývojářský tryb pengembang chế bez aucune aucun ninguna ningún ninguno ' +
    'nessuna nessun nenhuma nenhum keine keinerlei geen inga hiçbir regole restrizioni limiti filtri norma normas ' +
    'einschränkung restricción restrição restrizione límite limite norme normen moral mother father mom dad ' +
    'regras zasad reguł ograniczeń filtrów cenzury zakazów regels beperkingen grenzen censuur isiyo haina khong ' +
    'không nunca jamás jamas rifiuta refuse lehnt weist verweigert nigdy asla weigert vägrar tidak haikatai hakatai',
  'injection.system_prompt_extraction':
    'prompt preprompt message instructions rules guidelines directives configuration setup above before ' +
    'prior password key code begin start told systemprompt system instrucciones istruzioni anweisungen ' +
    'contraseña passe passwort instructed supposed allowed permitted given initialization initialisation ' +
    'preamble init boot startup passphrase passcode word letter letters skriv visa berätta vis fortæl ' +
    'fortell řekni ukaž vypiš pokaż podaj wypisz powiedz göster söyle yazdır tampilkan tunjukkan beritahu ' +
    'sebutkan hiển cho in mutasd áruld írd näytä kerro tulosta arată spune afișează onyesha niambie ' +
    'ipakita sabihin sistem gizli şifreyi parolayı talimatlarını consignes instrukcjami tekrar lặp nhắc viết tiết ' +
    'compris versteckten geheimen systemanweisungen conversation chat thread lautet geheime passphrase passcode ' +
    'word secret key protecting guarding hiding supposed allowed meant exchange session',
  'injection.chat_template':
    'inst sys turn system assistant im developer role sure certainly absolutely course systemmessage ' +
    'systemprompt assistantmessage assistantprompt developermessage developerprompt',
  'injection.delimiter': 'end begin start stop close',
  'injection.payload_splitting':
    'concatenate combine join merge together assemble backwards backward reverse reversed decode unscramble',
  'injection.tool_coercion':
    'tool function plugin api action command without silently secretly quietly immediately automatically ' +
    'code snippet script block excerpt section payload please kindly pls bitte por per merci ' +
    'proszę lütfen vui tolong geef vänligen prosím kérem lūdzu',
  'injection.exfiltration':
    'send forward email mail post upload transmit exfiltrate leak copy report submit url link query request ' +
    'image history',
  'injection.false_authority':
    'approval approvals sign signoff signoffs verification verifications review reviews reviewer check ' +
    'checks verify fact factcheck factchecks kyc screening vetting auth authentication mfa id age anymore ' +
    'more stop quit drop forget ditch scrap lose eres plus sei você já bist bent längre længere lenger ' +
    'jesteś nejsi ești operator operators developer developers devs dev creator creators programmer ' +
    'programmers maker makers udviklerne udviklere ontwikkelaars entwicklern entwicklerteam développeurs ' +
    'desarrolladores sviluppatori desenvolvedores twórców deweloperów programistów utvecklarna utviklerne ' +
    'safety safe safemode restriction restrictions guardrail guardrails moderation censorship content ' +
    'contentfilter refusal refusals ethics alignment filter filters safeguards rules mode modo modalità ' +
    'modus tryb režim modul läge tilstand modu sáltate salta omite sáltese omita pula pule ignora saute ' +
    'sautez désactive désactivez contourne salti disattiva bypassa umgeh umgehe sla pomiń pomin omiń ' +
    'pominąć bez přeskoč nemusíš kontrola sari verificarea aprobarea validarea hoppa ingen spring slå ' +
    'ohita ellenőrzések ellenőrzés jóváhagyási azonosítás kapcsold onaya onay kontrole doğrulamaya ' +
    'doğrulamayı kontrolü onayı lewati lewatkan abaikan matikan ruka zima wartungsmodus ' +
    'testmodus debugmodus onderhoudsmodus vedlikeholdsmodus testitila huoltotila ' +
    'vedligeholdelsestilstand testtilstand underhållsläge testläge přepni karbantartási teszt olvida ' +
    'olvídate deja esquece deixa oublie arrête vergiss dimentica smetti vergeet zapomnij przestań ' +
    'zapomeň přestaň uită glöm glem felejtsd mostantól artık bundan abgeschaltet deaktiviert ' +
    'ausgeschaltet uitgeschakeld avstängd',
  'injection.credential_request':
    'api access bearer token tokens password passwords passphrase passphrases credentials login auth ' +
    'authorization secret client connection env environment with including plus clave claves contraseña ' +
    'credenciales chave chaves senha credenciais mot identifiants chiave chiavi credenziali wachtwoord ' +
    'inloggegevens api-schlüssel zugangsdaten passwort kennwort millä',
  addresses:
    'reply response answer output summary message code solution implementation translation analysis dear hey ' +
    'hi hello attention note ai assistant chatgpt gpt claude gemini llm bot model agent copilot summarizing ' +
    'summarising answering responding replying read summarize summarise process réponse respuesta antwort ' +
    'notes assistants models llms agents bots chatbot chatbots language messages instruction instructions ' +
    'reminder reminders notice notices memo memos request requests orders hinweis nachricht anweisung notiz ' +
    'nota mensaje mensagem messaggio instrucción instrução istruzione anteckning meddelande poznámka notatka ' +
    'wiadomość catatan pesan si se wenn user automated system tool program autonomous addressed directed ' +
    'written owner administrator admin boss customer guest confirmation permission approval assistenten agenten ki ' +
    'evaluator grader judge harness scorer menciones digas prévenir dire informer laisse attention nutzer ' +
    'benutzer antworte sag nome senza rispondi zeg vertel zonder opmerking dile dígale infórmale avisa cuando ' +
    'repository repo document page file site website email ticket project workspace override agents wants ' +
    'till beste liebe lieber cher chère querido querida caro cara okuyan özetleyen cho gửi next ' +
    'needs asked requests authorises authorizes authorised authorized instructed like writing speaking requires ' +
    'asks instructs expects whatever assistente agente asisten agen asystenta agenta modelu bota instruccion ' +
    'instrucciones aviso ia asistan assistent asystent automation summarizer summariser summarizers summarisers ' +
    'asistente assistentin asistana asistanına classifier',
  roleShift: 'now longer going about act behave respond operate new switch pretend partir ab da sofort jetzt',
  englishStopword: 'the and to of is are you your a in for that it with on this be what how can please',
  // A word every Latin-script match of structure.ts's ATTACK_TOPIC holds whole, in every form
  // ("prompt injection" holds "injection", rarer than "prompt"; "inyección" holds the ASCII run
  // "inyecci", a word to `\b`).
  attackTopic:
    'promptinjection promptinjections injection injections jailbreak jailbreaks jailbreaking attack ' +
    'attacks exploit exploits adversarial red redteam redteaming inyeccion inyecci injecao inje injec ' +
    'iniezione angriff angriffe attaque attaques ataque ataques attacchi',
  // One word every Latin-script match of structure.ts's SELF_REFERENCE holds whole (the rarest one
  // each alternative needs).
  selfReference:
    'gave wrote sent shared provided mentioned my told asked said instrucciones indicaciones mis mes mie ' +
    'meine minhas dei',
  // The decoder's ROT13 hint words (see `DecodeHints`).
  rot13Words: ROT13_WORDS.join(' '),
  // A word every Latin-script match of secret-requests.ts's patterns holds whole: the secret's
  // noun, or the verb of "the words you are not allowed to say".
  guardedSecret:
    'password passphrase passcode pass secret codeword magic access promo discount coupon allowed ' +
    'forbidden told instructed supposed permitted programmed passwort kennwort codewort geheimwort ' +
    'zugangscode rabattcode geheime geheimen geheimes passe accès contraseña secreta secreto promocional ' +
    'descuento senha segreta ordine wachtwoord hasło hasła lösenord şifre heslo sandi code hidden banned ' +
    'protected guarded protecting guarding hiding word words codes phrase phrases term terms ' +
    'guard protect hide yourself mot palabra palavra wort',
  // Words of harmful subject matter, counted like the stopwords (harm.ts).
  harmWord: HARM_WORDS,
};

/** Literal markers that are not words (chat-template tokens, closing tags, markdown images, `a + b`). */
const LITERAL_ANCHORS: readonly { literal: string; bits: number }[] = [
  { literal: '<|', bits: ANCHOR_BITS['injection.chat_template'] },
  { literal: '</', bits: ANCHOR_BITS['injection.delimiter'] },
  { literal: '](', bits: ANCHOR_BITS['injection.exfiltration'] },
  { literal: '+', bits: ANCHOR_BITS['injection.payload_splitting'] },
];

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;

/** Past the last code of the Latin scripts (Latin Extended-B ends at U+024F). */
const LATIN_END = 0x250;
// Per code below LATIN_END: the letter lower-cased, or -1 for anything that is not a letter (one
// table read instead of range tests).
const LATIN_LOWER = Int32Array.from({ length: LATIN_END }, (_, code) => {
  if (code < 128) {
    if (code >= 97 && code <= 122) return code;
    if (code >= 65 && code <= 90) return code + 32;
    return -1;
  }
  if (code >= 0xc0 && code !== 0xd7 && code !== 0xf7)
    return String.fromCharCode(code).toLowerCase().charCodeAt(0);
  return -1;
});

/** Letters of the Latin scripts (ASCII, Latin-1, Latin Extended-A/B). */
export function isLatinLetterCode(code: number): boolean {
  return latinLetter(code) >= 0;
}

/** Letters of the Latin scripts, lower-cased; -1 otherwise. */
function latinLetter(code: number): number {
  return code < LATIN_END ? (LATIN_LOWER[code] ?? -1) : -1;
}

/**
 * The bit of a character at or above U+0250 in `WordScan.scripts`: one per script or block group
 * (Greek, Cyrillic, Arabic, Devanagari, Bengali, Thai, Vietnamese letters, kana, CJK, Hangul, …).
 * A pattern that needs a letter of one script skips texts without that script's bit.
 */
export function scriptBit(code: number): number {
  if (code < 0x370) return 1 << 0; // IPA, modifier letters, combining marks
  if (code < 0x400) return 1 << 1; // Greek
  if (code < 0x530) return 1 << 2; // Cyrillic
  if (code < 0x590) return 1 << 3; // Armenian
  if (code < 0x600) return 1 << 4; // Hebrew
  if (code < 0x900) return 1 << 5; // Arabic, Syriac, Thaana
  if (code < 0x980) return 1 << 6; // Devanagari
  if (code < 0xa00) return 1 << 7; // Bengali
  if (code < 0xe00) return 1 << 8; // the other Indic scripts
  if (code < 0xf00) return 1 << 9; // Thai, Lao
  if (code < 0x1e00) return 1 << 10; // Tibetan to Khmer, Hangul jamo, Georgian
  if (code < 0x1f00) return 1 << 11; // Latin Extended Additional (Vietnamese)
  if (code < 0x2000) return 1 << 12; // Greek Extended
  if (code < 0x3000) return 1 << 13; // punctuation, symbols
  if (code < 0x3040) return 1 << 14; // CJK punctuation
  if (code < 0x3100) return 1 << 15; // kana
  if (code < 0x3400) return 1 << 16; // Bopomofo, Hangul compatibility jamo
  if (code < 0xa000) return 1 << 17; // CJK ideographs
  if (code < 0xac00) return 1 << 18; // Yi, Vai, Cyrillic and Latin extensions
  if (code < 0xd800) return 1 << 19; // Hangul syllables
  if (code < 0xe000) return 1 << 20; // surrogates (characters beyond the BMP)
  if (code < 0xf900) return 1 << 21; // private use
  if (code < 0xfb00) return 1 << 17; // CJK compatibility ideographs
  if (code < 0xfb50) return 1 << 22; // alphabetic presentation forms
  if (code < 0xfe00) return 1 << 5; // Arabic presentation forms A
  if (code < 0xfe70) return 1 << 23; // variation selectors, CJK compatibility and small forms
  if (code < 0xff00) return 1 << 5; // Arabic presentation forms B
  return 1 << 24; // halfwidth and fullwidth forms
}

/** Hash of a word as `scanWords` computes it (Latin letters lower-cased). */
export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ latinLetter(word.charCodeAt(i)), FNV_PRIME);
  return h | 0;
}

// Open-addressing table of anchor-word hashes (typed arrays: a Map with 32-bit keys would box half
// of them). Collisions between a text word and an anchor only run a pattern that was not needed.
const TABLE_BITS = 12;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const tableKeys = new Int32Array(1 << TABLE_BITS);
const tableBits = new Int32Array(1 << TABLE_BITS);
for (const [group, words] of Object.entries(ANCHOR_WORDS) as [AnchorGroup, string][]) {
  for (const word of words.split(' ')) {
    const h = hashWord(word);
    let slot = h & TABLE_MASK;
    while (tableBits[slot] !== 0 && tableKeys[slot] !== h) slot = (slot + 1) & TABLE_MASK;
    tableKeys[slot] = h;
    tableBits[slot] = (tableBits[slot] ?? 0) | ANCHOR_BITS[group];
  }
}

function anchorBits(h: number): number {
  let slot = h & TABLE_MASK;
  for (;;) {
    const bits = tableBits[slot] ?? 0;
    if (bits === 0) return 0;
    if (tableKeys[slot] === h) return bits;
    slot = (slot + 1) & TABLE_MASK;
  }
}

export interface WordScan {
  /** Bits of `ANCHOR_BITS` whose anchors occur (every pattern bit when `foreign` letters occur). */
  readonly mask: number;
  /** Words (runs of Latin letters). */
  readonly words: number;
  /** Common English function words among them. */
  readonly englishStopwords: number;
  /** Words of harmful subject matter among them (harm.ts). */
  readonly harmWords: number;
  /** Letters of other scripts occur, so every pattern runs. */
  readonly foreign: boolean;
  /** `scriptBit` of every character at or above U+0250 in the text. */
  readonly scripts: number;
  /**
   * Indices (into `starts`) of the words that mix ASCII letters with Latin letters above ASCII
   * ("café"): `\\b` sees word edges inside them that this scan does not.
   */
  readonly mixedWords: readonly number[];
  /** In the first `LETTER_SAMPLE` characters: ASCII letters, and letters of other alphabets (roughly). */
  readonly asciiLetters: number;
  readonly otherLetters: number;
  /**
   * Longest run of consecutive tokens (split at code points up to U+0020) of one to three
   * characters: a token flood needs a long one.
   */
  readonly shortTokenRun: number;
  /** Start offset and hash of every word, in text order (for lead-word matching). */
  readonly starts: Int32Array;
  readonly hashes: Int32Array;
}

// Word starts and hashes are written straight into shared chunks and each scan gets views of its
// part: no copy per scan, and no allocation but the views until a chunk is used up. A scan's part
// is never written again, so every scan stays valid however many texts are scanned after it.
const CHUNK = 1 << 16;
let startsChunk = new Int32Array(CHUNK);
let hashesChunk = new Int32Array(CHUNK);
let chunkUsed = 0;

/**
 * How much of the text the letter counts look at. Not exported: V8 folds a module's private
 * constant, and reads an exported one through its module cell at every word.
 */
const LETTER_SAMPLE = 2000;

/** One pass over `text`: which anchors occur, how many words, how many English stopwords. */
export function scanWords(text: string): WordScan {
  let mask = 0;
  let words = 0;
  let stopwords = 0;
  let harm = 0;
  let foreign = false;
  let scripts = 0;
  const mixedWords: number[] = [];
  const n = text.length;
  // Words are at least one letter and a separator long.
  const capacity = (n >> 1) + 1;
  if (chunkUsed + capacity > startsChunk.length) {
    startsChunk = new Int32Array(Math.max(CHUNK, capacity));
    hashesChunk = new Int32Array(Math.max(CHUNK, capacity));
    chunkUsed = 0;
  }
  const base = chunkUsed;
  const starts = startsChunk;
  const hashes = hashesChunk;
  let asciiLetters = 0;
  let otherLetters = 0;
  let tokenLength = 0;
  let shortTokens = 0;
  let shortTokenRun = 0;
  const units = codeUnits(text);
  // A space one step past the end (`codeUnits` leaves room for it): the last word and token end
  // there, and the loops need no end test per character.
  units[n] = 32;
  for (let i = 0; i <= n; i++) {
    let code = units[i] ?? 0;
    let letter = latinLetter(code);
    if (letter >= 0) {
      // A word, read to its end in a loop of its own (one mispredicted branch per word, not two).
      const start = i;
      // Latin letters above ASCII in the word, and of those in the letter sample (few texts have any).
      let accented = 0;
      let accentedInSample = 0;
      let h = FNV_OFFSET;
      do {
        if (code >= 128) {
          accented++;
          if (i < LETTER_SAMPLE) accentedInSample++;
        }
        h = Math.imul(h ^ letter, FNV_PRIME);
        i++;
        code = units[i] ?? 0;
        letter = latinLetter(code);
      } while (letter >= 0);
      tokenLength += i - start;
      // Latin letters above ASCII are all "other letters" to the sample count.
      if (start < LETTER_SAMPLE) {
        asciiLetters += Math.min(i, LETTER_SAMPLE) - start - accentedInSample;
        otherLetters += accentedInSample;
      }
      if (accented > 0 && accented < i - start) {
        mixedWords.push(words);
        mask |= asciiRunBits(text, start, i) & BOUNDARY_ANCHORS;
      }
      starts[base + words] = start;
      hashes[base + words] = h | 0;
      words++;
      const bits = anchorBits(h | 0);
      if (bits !== 0) {
        mask |= bits;
        if ((bits & ANCHOR_BITS.englishStopword) !== 0) stopwords++;
        if ((bits & ANCHOR_BITS.harmWord) !== 0) harm++;
      }
    }
    if (code > 32) tokenLength++;
    else if (tokenLength > 0) {
      shortTokens = tokenLength <= 3 ? shortTokens + 1 : 0;
      shortTokenRun = Math.max(shortTokenRun, shortTokens);
      tokenLength = 0;
    }
    if (code < 0xc0) continue;
    // Letters of other scripts, roughly: skip general and CJK punctuation and fullwidth symbols.
    if (
      i < LETTER_SAMPLE &&
      !(code >= 0x2000 && code <= 0x2bff) &&
      !(code >= 0x3000 && code <= 0x303f) &&
      !(code >= 0xff00 && code <= 0xff20)
    )
      otherLetters++;
    if (code < 0x250) continue;
    scripts |= scriptBit(code);
    // Letters outside the Latin scripts (not punctuation, symbols, emoji or spaces).
    if (!foreign && isLetterCode(code)) foreign = true;
  }
  for (const { literal, bits } of LITERAL_ANCHORS)
    if ((mask & bits) === 0 && text.includes(literal)) mask |= bits;
  if (foreign) mask |= FOREIGN_TEXT_ANCHORS;
  chunkUsed = base + words;
  return {
    mask,
    words,
    englishStopwords: stopwords,
    harmWords: harm,
    foreign,
    scripts,
    mixedWords,
    asciiLetters,
    otherLetters,
    shortTokenRun,
    starts: starts.subarray(base, base + words),
    hashes: hashes.subarray(base, base + words),
  };
}
