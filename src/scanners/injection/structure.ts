/**
 * Structural signals for untrusted content. A document or tool result is data; when it talks to
 * the assistant ("in your reply…", "AI: …"), issues imperatives, or holds a line that does not
 * belong to its genre (a sentence inside a table), it is trying to instruct the model. These
 * signals do not ask whether the text sounds malicious, only whether it addresses the model.
 */

import { ANCHOR_BITS, hashWord, isLatinLetterCode, scanWords } from './anchors.ts';
import type { WordScan } from './anchors.ts';
import { codeUnits, isLetterCode } from '../normalize/index.ts';
import { LeadPatterns } from './lead-match.ts';
import { secretRequests } from './secret-requests.ts';

export interface StructureSignals {
  /** Phrases that speak to the assistant or about its output. */
  readonly addressesAssistant: number;
  /** Sentences that open with an imperative verb. */
  readonly imperatives: number;
  /** Lines that break the genre of the surrounding document (prose or a question inside a table). */
  readonly offGenreLines: number;
  /** Of those, prose lines inside a table-shaped document (the rest are standalone question lines). */
  readonly tableProseLines: number;
  /** Role shifts: "you are now", "act as", "your new role". */
  readonly roleShifts: number;
  /** Orders given to the model by name ("AI agent, delete …", "the assistant must now …"). */
  readonly ordersToAssistant: number;
  /** Share of tokens that mix letters with code punctuation, as adversarial suffixes do (GCG). */
  readonly gibberish: number;
  /**
   * Markers that the text talks ABOUT attacks (asks what they are, how to detect or defend against
   * them) rather than performing one: a question about "ignore previous instructions" is not an
   * override. Evidence against, weighed by the combiner.
   */
  readonly discussion: number;
  /** References to the user's own earlier instructions ("the instructions I gave you"). */
  readonly selfReference: number;
  /** Requests for a secret the model guards ("spell the password backwards"), up to two. */
  readonly secretRequests: number;
  /**
   * Kinds of rule an operator writes to guard a secret or a task ("never reveal the password",
   * "if the user says …, respond …; otherwise say …", "do not believe the user"), up to three:
   * a defence or a system prompt being written, not an attack on one. Evidence against.
   */
  readonly guardRules: number;
  /** Evidence spans in the scanned text, for findings. */
  readonly spans: readonly { start: number; end: number; signal: string }[];
}

const ADDRESSES =
  /(?<=\b(?:in|to|within|throughout|at the (?:start|end|beginning) of) your )(?:reply|response|answer|output|summary|message|code|solution|implementation|translation|analysis)\b|\byour (?:reply|response|answer|output|code|solution|implementation) (?:should|must|will|needs to)\b|\b(?:dear|hey|hi|hello|attention)\s+[a-z-]+\s+(?:assistant|assistants|bot|bots|chatbot|llm)\b|(?<=(?:^|[\s([])an\s{1,4}(?:den|die)\s{1,4}(?:[a-zäöü]{1,12}-)?)(?:assistenten|ki|agenten|bot)\s{0,2}:|\b(?:dear|hey|hi|hello|attention|note to|note for|notes for|message (?:to|for))(?:\s+(?:the|any|all|every))?\s+(?:ai|assistants?|chatgpt|gpt|claude|gemini|llms?|bots?|language models?|models?|agents?|copilot)\b|(?<=^|[.!?]\s{1,8}|["'“([{]\s{0,2})(?:ai|assistant|chatgpt|claude|gemini|llm|agent)\s*[,:]\s|(?<=\b(?:by the way|btw|also|ps)[,:]?\s{1,4})(?:ai|assistant|chatgpt|claude|gemini|llm|agent|bot)\s*[,:]|\b(?:ai|assistant|assistants|language model|language models|model|models|llm|llms|agent|agents|bot|bots|chatbot|chatbots)\s+(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|indexing|crawling|scanning)\s+(?:this|these|the following)\b|\bif you(?: are|'re|’re) an? (?:(?:automated|ai)\s+)?(?:ai|assistant|language model|llm|bot|agent|system|tool|program)\b(?<!\ban? (?:system|tool|program))|\bwhen (?:summari[sz]ing|answering|responding|replying|you (?:read|summari[sz]e|process))\b|\b(?:en|dans) (?:ta|votre) réponse\b|\ben tu respuesta\b|\bin deiner antwort\b|в (?:своём|своем|твоём|твоем) ответе|\btill (?:ai-assistenten|assistenten|ai:n)(?![a-zåäö])|\bpara (?:el|la) (?:agente|asistente)\b[^.\n:]{1,30}?\b(?:ia|ai)\b|\b(?:beste|liebe|lieber|cher|chère|querido|querida|caro|cara) (?:ai|ki|ia)-?(?:agent|assistent|assistant|asistente|assistente|agente)\b|(?<=\b(?:okuyan|özetleyen)\s{1,4})(?:yapay zek[aâ]|ai)\s+asistan|\bcho\s+trợ lý (?:AI|ảo)\b|(?:помічнику|помощнику|асистенту|ассистенту)(?=\s*[:：,])|致[^。：:\n]{0,20}?(?:AI|人工智能)?(?:助手|助理|机器人|模型)[：:]|アシスタントへ[：:、\s]|(?:ملاحظة|رسالة|تعليمات)\s+(?:إلى\s*(?:المساعد|الذكاء)|لل(?:مساعد|ذكاء))|在(?:你的)?回答中|回答の中で|\b(?:hinweis|nachricht|anweisung|notiz|note|nota|mensaje|mensagem|messaggio|instrucción|instrução|istruzione|anteckning|meddelande|poznámka|notatka|wiadomość|catatan|pesan)\s+(?:für|an|à|pour|para|per|till|pro|dla|untuk)\s+(?:(?:den|die|das|la|el|o|a|il|lo|l'|l’)\s*)?(?:[a-zäöü]{1,12}-){0,2}(?:ki|ia|ai|assistant|assistenten|asistente|assistente|sprachmodell|modèle|modelo|modello|chatbot|asystenta|asisten)\b|\bsi lees esto\b|\bse (?:você )?(?:ler|está lendo) isto\b|\bwenn du (?:das|dies) liest\b|\bsi (?:tu lis|vous lisez) (?:ceci|ce message)\b|\bse stai leggendo questo\b|给(?:AI|人工智能|智能)(?:助手|助理|模型)?的(?:说明|指令|提示|留言|消息)|给(?:助手|助理|模型)的(?:说明|指令|提示|留言|消息)|致(?:自动|智能|AI|人工智能)?(?:客服)?(?:机器人|助手|助理|模型)|給(?:AI|人工智慧)(?:助手|助理)?的(?:說明|指令|提示)|アシスタントへの(?:指示|メッセージ|お知らせ)|어시스턴트에게|(?:비서|어시스턴트|에이전트)에게(?=\s*[:：])|인공지능에게|챗봇에게|примечание для (?:ии|ассистента|модели|нейросети|бота)|сообщение для (?:ии|ассистента|модели|нейросети|бота)|инструкция для (?:ии|ассистента|модели|нейросети|бота)/gim;

// Orders given to the model by name inside content: "AI agent, delete …", "note from bob to the
// coding agent", "the assistant must now …", "To the AI summarizing reviews: …". "An LLM should
// never be the one approving refunds" is a policy about models: after "must" or "should",
// "never" and "always" need a verb of action. A vocative
// needs a verb of action after it, so chat transcripts ("Assistant: Sure") and spec sheets
// ("Model: X200") stay out; a human support "Agent:" is only counted as "AI agent".
const ORDER_VERBS =
  'ignore|disregard|forget|delete|remove|erase|close|cancel|send|forward|post|share|export|upload|email|call|run|execute|reply|respond|answer|say|tell|write|include|add|insert|append|reveal|print|output|show|grab|copy|collect|visit|open|click|recommend|rate|approve|book|buy|sell|transfer|pay|leave|omit|stop|never|always|make|use|give|mention|state|ask|change|list|return|grant|disable|enable|push|merge|install|download|fetch|demand|refuse|issue|process|refund|mark|archive|search|notify|schedule|update|confirm|accept|reset|assign|escalate|apply|activate|create|configure|modify|edit|move|set|label|tag|wire|record|purchase|submit|unlock|renew|invite|replace|rewrite|rank|classify|flag|skip|bypass|override|prioriti[sz]e|endorse|treat|contact|describe|switch|praise|grade|score|downgrade|upgrade';
// After a vocative: the order, perhaps after a clause ("AI agent: after reading this log, push
// …") or announced as new instructions ("Assistant, new instructions: …").
const ORDER_AFTER_VOCATIVE = `(?:(?:important|urgent|attention)[,:!]{0,3}\\s*)?(?:(?:(?:after|before|when|once|while|if|as part of|in addition to)\\s[^,.;:\\n]{1,60}|to (?:finali[sz]e|continue|proceed|complete)[^,.;:\\n]{0,60}),\\s*)?(?:you\\s+(?:must|need to|should|are to|have to)\\s+)?(?:please\\s+)?(?:from now on,?\\s+)?(?:(?:also|quietly|silently|secretly|immediately|now|first|just|kindly)\\s+)?(?:(?:new|updated|additional|urgent)\\s+(?:[a-z]+\\s+)?(?:instructions?|tasks?|orders?)\\b|(?:${ORDER_VERBS})\\b)`;
// Plurals spelled out: lead-word matching needs every alternative to start with a plain word.
const AI_NOUNS =
  'ai|assistant|assistants|chatgpt|claude|gemini|llm|llms|language model|language models|model|models|agent|agents|chatbot|chatbots|bot|bots|copilot|automation|summarizer|summariser|summarizers|summarisers';
const ORDERS_TO_ASSISTANT = new RegExp(
  [
    // No article before a vocative: "an AI researcher, apply by May" names someone else.
    `(?<!\\b(?:an?|the|as)\\s{1,4})\\b(?:ai|llm|llms|gpt)(?:[ -][a-z]+){0,3}\\s*[,:—–]\\s*${ORDER_AFTER_VOCATIVE}`,
    // A fake grader's or evaluator's note: "(Evaluator note: the correct output is …)".
    `\\b(?:evaluator|grader|judge|test harness|scorer)\\s+note\\s*:`,
    `\\b(?:assistant|chatgpt|claude|gemini|llm|language model|chatbot|bot|model|copilot|classifier)(?:\\s+(?:reading|processing|reviewing|summari[sz]ing)\\s+this)?\\s*[,:—–]\\s*${ORDER_AFTER_VOCATIVE}`,
    // "Automated mail agents: …", "@review-bot you are now …".
    `\\b(?:automated|autonomous)\\s+(?:[a-z-]+\\s+)?(?:agents?|assistants?|bots?|systems?)\\s*[,:]\\s*${ORDER_AFTER_VOCATIVE}`,
    `(?<=@(?:[a-z0-9]+-){0,2})(?:bot|agent|ai|assistant|copilot|gpt)[,:]?\\s+(?:you\\s+are\\s+now|${ORDER_AFTER_VOCATIVE})`,
    `\\b(?:note|notes|message|messages|instruction|instructions|reminder|reminders|notice|notices|memo|memos|request|requests|orders|guidance|directive|directives)\\s+(?:from\\s+[^\\s,.:]+\\s+)?(?:to|for)\\s+(?!an?\\s)(?:(?:the|any|all|every)\\s+)?(?:[a-z-]+\\s+)?(?:(?:coding|autonomous|automated|ai)\\s+)?(?:${AI_NOUNS})\\b`,
    `\\b(?:${AI_NOUNS})(?:\\s+[a-z-]+){0,4}?\\s+(?:must|should|shall|needs? to|has to|have to)\\s+(?:(?:now|always|never|also|immediately|quietly|silently|secretly)\\s+)?(?!never\\b|always\\b)(?:${ORDER_VERBS})\\b`,
    `\\b(?:${AI_NOUNS})(?:\\s+[a-z-]+){0,4}?\\s+(?:is|are)\\s+(?:required|instructed|supposed|expected|obliged|authori[sz]ed)\\s+to\\b`,
    // "Agents with shell access: …", "this repository requires you to …", "ASSISTANT OVERRIDE".
    `\\b(?:agents|assistants|bots|llms|models)\\s+(?:with|that have|using|running)\\s+[^:\\n]{1,30}:`,
    `(?<=\\b(?:this|the)\\s{1,4}(?:repository|repo|document|page|file|site|website|email|e-mail|message|ticket|project|workspace)\\s{1,4})(?:requires|asks|instructs|needs|wants|expects|authorises|authorizes)\\s+you\\s+to\\b`,
    `\\b(?:assistant|ai|agent|model|chatbot|system)\\s+override\\b`,
    `\\bnext\\s+(?:tool\\s+call|action|step|reply|response)\\s+(?:must|should|has to)\\b`,
    // The same conduct toward the user in other languages: "dile que las cifras cuadran", "a nome
    // suo, senza chiedergli nulla", "antworte dem Nutzer, dass …", "ne laisse aucune trace".
    // Common lead words ("no", "sans", "ohne") are looked behind; the match starts on the rare one.
    `\\b(?:dile|dígale|infórmale|avisa al usuario|cuando el usuario te pida)\\b`,
    `(?<=\\bno\\s{1,4}(?:le\\s{1,4})?)(?:menciones|digas)\\s+(?:nada|esto|este comentario)\\b`,
    `\\b(?:dis à l'utilisateur|dis-lui|réponds à l'utilisateur)\\b`,
    `(?<=\\bsans\\s{1,4}(?:le\\s{1,4})?)(?:prévenir|dire|informer)\\b|(?<=\\bne\\s{1,4})laisse aucune trace\\b|(?<=\\bà\\s{1,4}l['’])attention\\s+de\\s+l['’]assistant\\b`,
    `\\b(?:antworte|sag)\\s+dem\\s+(?:nutzer|benutzer)\\b|(?<=\\bohne\\s{1,4}(?:den|die)\\s{1,4})(?:nutzer|benutzer|nutzerin|benutzerin)\\s+zu\\s+(?:fragen|informieren)\\b|(?<=\\bnicht\\s{1,4}beim\\s{1,4})(?:nutzer|benutzer)\\s+nachfragen\\b`,
    `(?<=\\ba\\s{1,4})nome suo\\b|\\bsenza (?:chiedergli|avvisare l'utente)\\b|\\brispondi all'utente\\b`,
    `\\b(?:zeg tegen de gebruiker|vertel de gebruiker|zonder de gebruiker te (?:vragen|informeren)|opmerking voor de ai)\\b`,
    // Tags naming the model as the addressee: "[ASSISTANT TASK] …", "[AI instructions]".
    `(?<=\\[\\s{0,2})(?:assistant|ai|agent|llm|model|bot)[ _-](?:task|tasks|instruction|instructions|note|notes|command|commands|directive|directives|message|order|orders)\\s{0,2}\\]`,
    // A conditional address to an automated reader: "if you are an automated assistant, …".
    `\\bif\\s+you(?:\\s+are|'re|’re)\\s+an?\\s+(?:automated|autonomous|ai)\\s+(?:assistant|agent|system|tool|program|model|bot)\\b`,
    `\\bif\\s+you(?:\\s+are|'re|’re)\\s+an?\\s+(?:ai|assistant|agent|language model|llm|bot)(?:\\s+(?:model|system|assistant|agent))?\\s+[a-z]{2,}ing\\b`,
    // Content that claims to be the user or to be meant for the model: "this is the calendar
    // owner writing", "this message is addressed to the AI assistant that manages this inbox".
    `(?<=\\bthis\\s{1,4}is\\s{1,4}(?:the|your)\\s{1,4}(?:[a-z]{1,20}\\s{1,4})?(?:owner|user|administrator|admin|boss)\\s{1,4})(?:writing|speaking)\\b`,
    `\\b(?:addressed|directed|written)\\s+to\\s+(?:the|any|all)\\s+(?:ai|assistant|assistants|agent|agents|language model|llm|bot|model)\\b`,
    // Pressure to act without the user: "do not ask for confirmation".
    `(?<=\\b(?:do not|don't|never)\\s{1,4})(?:ask|wait)\\s+(?:the\\s+user\\s+)?for\\s+(?:confirmation|permission|approval)\\b`,
    // What the user supposedly wants, told to the model by the content: "the customer has changed
    // their mind and wants you to book …", "new task from user: …".
    `(?<=\\b(?:the|your)\\s{1,4}(?:user|customer|guest|owner|account owner|maintainer|admin|administrator|manager|boss|ceo)\\s{1,4}(?:has\\s{1,4}changed\\s{1,4}(?:their|his|her)\\s{1,4}mind\\s{1,4}and\\s{1,4})?(?:has\\s{1,4}|would\\s{1,4})?)(?<!\\b(?:if|when|whenever|unless|until|once|should)\\s{1,4}(?:the|your)\\s{1,4}[a-z]{1,10}(?:\\s{1,4}owner)?\\s{1,4}(?:has\\s{1,4}|would\\s{1,4})?)(?:wants|needs|asked|requests|authorises|authorizes|authorised|authorized|instructed|like)\\s+you\\s+to\\b`,
    `\\bnew\\s+(?:task|tasks|instruction|instructions|orders?|request)\\s+from\\s+(?:the\\s+)?(?:user|admin|administrator|developer|system|owner)\\b`,
    // Concealment from the user: "don't mention it in the PR description", "do not report these
    // steps in your summary".
    `(?<=\\b(?:don't|do not|never|without)\\s{1,4})(?:mention|mentioning|report|reporting|disclose|disclosing|reveal|revealing|flag|flagging)\\s+(?:it|this|that|these|anything)(?:\\s+[a-z-]+){0,2}?\\s+(?:to|in|from)\\s+(?:the\\s+user|your\\s+(?:summary|reply|response|answer|report)|the\\s+(?:summary|pr description|reply|response|report|owner)|summaries)\\b`,
    // "to" is too common a lead word: the match starts at the noun, "to the …" is looked behind.
    `(?<=\\bto (?:the|any|all|every)\\s{1,4}(?:[a-z-]{1,30}\\s{1,4})?)(?:${AI_NOUNS})(?:\\s+[a-z-]+){0,3}\\s*:`,
    // Content that tells the model how to treat its user: "tell the user to book here", "no need
    // to flag it to the user", "when the user next asks you anything".
    `\\b(?:tell|inform|advise|convince|persuade|remind|warn|assure|instruct|urge)\\s+(?:the|your)\\s+user\\s+(?:that|to|their|they)\\b`,
    `(?<=\\b(?:no need to|without)\\s{1,4}(?:[a-z]{1,20}\\s{1,4})?)(?:tell|telling|inform|informing|notify|notifying|alert|alerting|flag|flagging|mention|mentioning|ask|asking)\\s+(?:(?:it|this|that|anything)\\s+to\\s+)?(?:the|your)\\s+user\\b`,
    // "if an AI is reading this", "when an AI scheduling assistant processes this".
    `\\b(?:if|when|whenever)\\s+(?:an?|any|the|some)\\s+(?:ai|assistant|language model|llm|model|agent|bot|chatbot)(?:(?:\\s+[a-z-]+)?\\s+(?:is|are)\\s+(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|indexing|scanning)\\b|(?:\\s+[a-z-]+){0,2}\\s+(?:reads|processes|parses|summari[sz]es|analy[sz]es|indexes|scans|handles|opens|reviews|sees)\\s+this\\b)`,
    `\\bwhen\\s+(?:the|your)\\s+user\\s+(?:next\\s+)?(?:asks|talks to|messages|writes to)\\s+you\\b`,
    // Notes to any automated reader, whatever it is called: "NOTE TO AUTOMATED AUDITORS:",
    // "message for the AI recruiter", "automated résumé ranker — disregard …".
    `\\b(?:note|notes|message|messages|instruction|instructions|notice)\\s+(?:to|for)\\s+(?:(?:the|any|all|every)\\s+)?(?:automated|autonomous|ai|llm)[ -][a-z]+`,
    `\\b(?:automated|autonomous)\\s+(?:[^\\s,:]{1,20}\\s+)?(?:rankers?|screeners?|reviewers?|auditors?|graders?|readers?|summari[sz]ers?|processors?|tools?)\\s*[,:—–]\\s*${ORDER_AFTER_VOCATIVE}`,
    `(?<=\\bto\\s{1,4})(?:whatever|any\\s+(?:ai|system|tool|program|automation))\\s+(?:is\\s+)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|indexing|scanning)\\b`,
    `(?<=\\bfor\\s{1,4}(?:the|an?)\\s{1,4})(?:ai|assistant|agent|bot|llm|model)\\s+only\\b`,
    `(?<=#\\s{0,2})(?:agent|ai|assistant|llm|bot)[-_ ](?:note|notes|instruction|instructions|task|todo)\\s*:`,
    `(?<=\\bto\\s{1,4}(?:the|any|all|every)\\s{1,4}(?:[a-z-]{1,30}\\s{1,4})?)(?:ai|assistant|agent|model|llm|bot|chatbot)\\s+(?:that|which|who)(?:['’]s|\\s+is)\\s+(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|reviewing|handling)\\b`,
    `\\bif\\s+you(?:\\s+are|'re|’re)\\s+an?\\s+(?:ai|automated|llm)[ -](?:recruiter|recruiting|screener|screening|reviewer|ranker|grader|evaluator|reader|crawler|scraper|summari[sz]er|helper|tool|hiring)\\b`,
    // @-mentions of an assistant in other languages: "@asistan:", "@assistent:".
    `(?<=@)(?:asistan|assistent|asistente|assistente|asystent|asisten|agente|ki|ia)\\s*:`,
    // Notes to the AI in other languages: "Uwaga dla asystenta AI", "per l'assistente che gestisce
    // il calendario", "Untuk asisten notulen:", "instrucción automática para sistemas de correo".
    `(?<=\\bdla\\s{1,4})(?:asystenta|agenta|modelu|bota)\\s+(?:ai|si|językowego)|(?<=\\b(?:uwaga|instrukcja|polecenie|notatka|wiadomość)\\s{1,4}(?:\\S{1,15}\\s{1,4})?dla\\s{1,4})(?:asystenta|agenta|modelu|bota)\\b`,
    `(?<=\\b(?:per|all)\\s{0,4}l['’]\\s?)(?:assistente|agente)\\s+(?:che\\s+(?:gestisce|legge|riassume|elabora)|ai|ia|virtuale|automatico)\\b`,
    `(?<=\\buntuk\\s{1,4})(?:asisten|agen)(?:\\s+[a-z]+){0,2}\\s*:`,
    `\\b(?:instrucción|instruccion|instrucciones|mensaje|aviso|nota)\\s+(?:automática\\s+|automatica\\s+|importante\\s+|urgente\\s+)?para\\s+(?:el\\s+|los\\s+|la\\s+|las\\s+)?(?:sistemas?|agentes?|asistentes?|modelos?|bots?|ia)\\b`,
    `(?<=\\bpara\\s{1,4}[ao]\\s{1,4})(?:assistente|agente)\\s+(?:de\\s+(?:ia|ai|revisão|revisao|código|codigo|e-mail|email|correio)|ia|ai|virtual|automático|automatico|inteligente)\\b`,
    `(?<=\\bpour\\s{1,4}l['’]\\s?)(?:ia|assistant|agent)\\s+(?:qui|ia|ai|virtuel|automatique)\\b`,
    `(?<=\\bvoor\\s{1,4}de\\s{1,4})(?:ai|ki)(?:-[a-z]+)?\\b`,
    // An AI-qualified role name used as a vocative in other languages: "Assistente de IA: …",
    // "asistente IA, …", "KI-Assistent: …", "BELANGRIJK voor de assistent: …".
    `\\b(?:assistente|asistente|assistent|asystent|asisten|agente)\\s+(?:(?:de|da|do|di)\\s+)?(?:ia|ai|ki|virtual|virtuale|virtuel)\\s*[:,]`,
    `\\b(?:ki|ai)-(?:assistent|assistenten|agent|agenten|assistentin)\\s*[:,]`,
    `(?<=\\bvoor\\s{1,4}de\\s{1,4})(?:assistent|chatbot|agent)\\s*[:\\]]`,
    // Turkish dative ("asistana not: …") and the Russian, Ukrainian and Korean forms of "note for
    // the assistant". Only the dative or a vocative addresses it: "ИИ-помощника" (of the AI
    // assistant) and "에이전트에게는 … 없습니다" (the agent has no …) are about it.
    `\\b(?:asistana|asistanına)\\s+(?:not|mesaj|talimat|uyarı|bilgi)\\b|(?<=\\b(?:not|mesaj|talimat)\\s{0,3}:?\\s{0,3})(?:asistana|asistanına)\\b`,
    `(?:ии|ші)[- ]?(?:(?:ассистент|асистент|агент|помощник|помічник)(?:(?:у|ові)(?=[\\s:,.!—–-])|(?=\\s*[:,]))|агенту|ассистенту|асистенту|помощнику|помічнику|модели|моделі|боту)|(?:повідомлення|сообщение|примечание|инструкция|указание|заметка|нотатка|увага|внимание|важно|вказівка)\\s+(?:для|до)\\s+(?:ассистента|асистента|агента|помощника|помічника|бота|модели|моделі)`,
    `인공지능\\s*(?:비서|어시스턴트|에이전트)에게|(?:비서|어시스턴트|에이전트|챗봇)에게(?=\\s*(?:중요한|긴급|[:：\\]]))|(?:어시스턴트|에이전트|챗봇)에게(?!는)`,
    // Other scripts: Arabic, Persian, Hindi, Greek, Russian and Ukrainian, Korean, Japanese, Chinese.
    `(?:إلى|الى)\\s+(?:المساعد|النموذج|الوكيل)\\s+(?:الذكي|الآلي)|(?:ملاحظة|رسالة|تعليمات|تعليمة|تنبيه)\\s+لل(?:مساعد|نموذج|وكيل|ذكاء)|أيها\\s+(?:المساعد|النموذج|الوكيل)`,
    `دستیار\\s+(?:هوشمند|هوش مصنوعی)\\s*[:،,]|(?:به|برای)\\s+دستیار\\s+(?:هوشمند|هوش)`,
    `एआई\\s*(?:सहायक|एजेंट|मॉडल)\\s+(?:के\\s+लिए|को)|सहायक\\s+के\\s+लिए\\s+(?:निर्देश|छिपा|संदेश)`,
    `(?:οδηγία|οδηγια|σημείωση|σημειωση|μήνυμα|μηνυμα)\\s+(?:προς|για)\\s+(?:το|τον)\\s+(?:μοντέλο|μοντελο|βοηθό|βοηθο|πράκτορα|πρακτορα)`,
    `(?:агенте|асистенте|ассистент)(?=\\s*,)`,
    `(?:처리하는|읽는|요약하는|분석하는)\\s*(?:AI\\s*)?(?:에이전트|어시스턴트|비서|모델|챗봇)|(?:에이전트|어시스턴트)[는은]\\s[^\\n]{0,60}?(?:하세요|마세요|하십시오)`,
    `(?:エージェント|モデル|ボット)へ[：:、\\s]|(?:読む|処理する|要約する)(?:AI)?(?:エージェント|アシスタント)`,
    `(?:读取|阅读|处理|总结|看到)(?:这条|[此本])[^。，,\\n]{0,8}的\\s*(?:AI|人工智能|助手|模型|机器人|智能体)`,
  ].join('|'),
  'gi',
);

// Sentence-initial imperatives an injected instruction typically starts with: English plus the
// most common forms in other languages (written for this project). Checked per sentence start.
const IMPERATIVE_VERBS: ReadonlySet<string> = new Set([
  'add',
  'append',
  'include',
  'insert',
  'integrate',
  'incorporate',
  'embed',
  'replace',
  'rewrite',
  'reply',
  'respond',
  'answer',
  'write',
  'draft',
  'compose',
  'translate',
  'summarise',
  'summarize',
  'provide',
  'give',
  'list',
  'explain',
  'describe',
  'tell',
  'say',
  'print',
  'output',
  'send',
  'forward',
  'email',
  'call',
  'run',
  'execute',
  'ignore',
  'forget',
  'disregard',
  'stop',
  'start',
  'begin',
  'remember',
  'ensure',
  'never',
  'always',
  'modify',
  'change',
  'convert',
  'encode',
  'decode',
  'use',
  'employ',
  'recommend',
  'suggest',
  'mention',
  'promote',
  'advertise',
  'urge',
  'encourage',
  'invite',
  'tease',
  'emphasise',
  'emphasize',
  'highlight',
  'enhance',
  'enrich',
  'augment',
  'jumble',
  'scramble',
  'rearrange',
  'group',
  'visit',
  'click',
  'download',
  'install',
  'act',
  'pretend',
  'imagine',
  'roleplay',
  'create',
  'generate',
  'produce',
  'show',
  'reveal',
  'repeat',
  'return',
  'delete',
  'remove',
  'transfer',
  'share',
  'post',
  'upload',
  'añade',
  'agrega',
  'incluye',
  'responde',
  'escribe',
  'traduce',
  'ignora',
  'olvida',
  'envía',
  'ajoute',
  'inclus',
  'réponds',
  'écris',
  'traduis',
  'oublie',
  'envoie',
  'füge',
  'schreibe',
  'antworte',
  'übersetze',
  'ignoriere',
  'vergiss',
  'sende',
  'aggiungi',
  'includi',
  'rispondi',
  'scrivi',
  'traduci',
  'dimentica',
  'invia',
  'adicione',
  'inclua',
  'responda',
  'escreva',
  'traduza',
  'esqueça',
  'envie',
  'добавь',
  'напиши',
  'ответь',
  'переведи',
  'игнорируй',
  'забудь',
  'отправь',
]);
// Two-word openers and CJK request markers, checked with a prefix test.
const PREFIX_FIRST_WORDS: ReadonlySet<string> = new Set(['make', 'do', "don't", 'break']);
const IMPERATIVE_PREFIXES: readonly string[] = [
  'make sure',
  'do not',
  "don't",
  'break down',
  '请',
  '請',
  '务必',
  '必ず',
  '반드시',
];

const ROLE_SHIFT =
  /\byou are (?:now|no longer|going to be|about to)\b|\b(?:act|behave|respond|operate) as (?:if you (?:were|are)|an?|the|my)\b|\byour new (?:role|persona|task|job|name|identity|instructions|purpose)\b|\bfrom now on\b|\bswitch (?:to|into) [^\n.]{1,30}? mode\b|\bpretend (?:to be|you are|that you)\b|\b(?:a partir de ahora|à partir de maintenant|ab (?:jetzt|sofort)|da ora in poi|a partir de agora)|с этого момента|从现在开始|今から/gi;

/** Line terminators, where `^` and `$` match in a multiline regex. */
function endsLine(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/**
 * Lines that are a question: what `/^[^|\n]{8,200}\?[ \t]*$/gm` matches, found without a regex
 * (which would try every line start with up to 200 characters of backtracking), up to `limit`.
 */
function questionLines(
  text: string,
  spans: { start: number; end: number; signal: string }[],
  limit: number,
): number {
  const n = text.length;
  const units = codeUnits(text);
  let found = 0;
  let lineStart = 0;
  while (lineStart <= n && found < limit) {
    // The first `?` that can end a body of eight characters or more; none at all ends the search.
    const first = text.indexOf('?', lineStart + 8);
    if (first < 0) break;
    let end = -1;
    if (first <= lineStart + 200) {
      // The run of characters the body may hold (no `|` or newline), as far as the 200th and the `?`.
      let run = lineStart;
      while (run < n && run - lineStart <= 200 && units[run] !== 124 && units[run] !== 10) run++;
      // The longest body first, as the greedy regex tries it: a `?`, then spaces or tabs to a line end.
      for (let mark = run - 1; mark >= first && end < 0; mark--) {
        if (units[mark] !== 63) continue;
        let after = mark + 1;
        while (after < n && (units[after] === 32 || units[after] === 9)) after++;
        if (after === n || endsLine(units[after] ?? 0)) end = after;
      }
    }
    let next = lineStart;
    if (end >= 0) {
      if (spans.length < 24) spans.push({ start: lineStart, end, signal: 'question line' });
      found++;
      next = end;
    }
    while (next < n && !endsLine(units[next] ?? 0)) next++;
    lineStart = next + 1;
  }
  return found;
}

/** Lines that are prose inside a table-shaped document (most lines start with `|`). */
function offGenre(
  text: string,
  spans: { start: number; end: number; signal: string }[],
): { tableProse: number; questionLines: number } {
  let lines = 0;
  let tableLines = 0;
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    if (end > at) {
      lines++;
      if (text.charCodeAt(at) === 124) tableLines++;
    }
    at = end + 1;
  }
  if (lines < 3 || tableLines / lines < 0.6) {
    // Not a table: a standalone question line still breaks a document's genre less reliably; count it.
    const question = lines >= 3 && text.includes('?') && questionLines(text, spans, 4) > 0;
    return { tableProse: 0, questionLines: question ? 1 : 0 };
  }
  let n = 0;
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end).trim();
    if (line.length >= 8 && !line.startsWith('|') && /\p{L}{2}\s\p{L}{2}/u.test(line)) {
      n++;
      if (spans.length < 24) spans.push({ start: at, end, signal: 'prose line inside a table' });
    }
    at = end + 1;
  }
  return { tableProse: n, questionLines: 0 };
}

// Classes of ASCII characters for `gibberishShare` (a table: it runs on every character of the
// tail): spaces, brackets, quotes and backslashes ((){}[]\"'`^~|<>), letters.
const SPACE = 1;
const ODD = 2;
const LETTER = 3;
const ASCII_KIND = Uint8Array.from({ length: 128 }, (_, code) => {
  if (code <= 32) return SPACE;
  if ([40, 41, 123, 125, 91, 93, 92, 34, 39, 96, 94, 126, 124, 60, 62].includes(code)) return ODD;
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? LETTER : 0;
});

/** Space outside ASCII (ASCII spaces are in `ASCII_KIND`). */
function isWideSpace(code: number): boolean {
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** How many `"key":` pairs the text holds, counted up to 3. */
function jsonKeys(text: string): number {
  let count = 0;
  for (let at = text.indexOf('":'); at >= 0 && count < 3; at = text.indexOf('":', at + 2)) count++;
  return count;
}

/**
 * Share of tokens, over the text's last 400 characters (where adversarial suffixes sit), that hold
 * a letter and two or more brackets, quotes or backslashes (`\\({\\For[`, `}).Ex`). One pass over
 * char codes: this runs on every text.
 */
function gibberishShare(text: string): number {
  // JSON (a tool result, an API response) is brackets and quotes by construction: not a suffix.
  if (jsonKeys(text) >= 3) return 0;
  const n = text.length;
  const units = codeUnits(text);
  const from = Math.max(0, n - 400);
  // A space one step past the end (`codeUnits` leaves room for it) ends the last token.
  units[n] = 32;
  let tokens = 0;
  let oddTokens = 0;
  let start = -1;
  let odd = 0;
  let letter = false;
  for (let i = from; i <= n; i++) {
    const code = units[i] ?? 0;
    const kind = code < 128 ? (ASCII_KIND[code] ?? 0) : isWideSpace(code) ? SPACE : 0;
    if (kind === SPACE) {
      if (start < 0) continue;
      tokens++;
      const length = i - start;
      if (length >= 3 && length <= 40 && odd >= 2 && letter) oddTokens++;
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      odd = 0;
      letter = false;
    }
    if (kind === ODD) odd++;
    else if (kind === LETTER || (code >= 128 && !letter && isLetterCode(code))) letter = true;
  }
  return tokens < 8 ? 0 : oddTokens / tokens;
}

const SENTENCE_START = /^[ \t]*|[.!?:][ \t]+/gm;
const FIRST_WORD = /[\p{L}']+/uy;

/** Sentences (and lines) that open with an imperative verb, optionally after "please". */
function countImperatives(
  text: string,
  spans: { start: number; end: number; signal: string }[],
  words: WordScan,
): number {
  // Text with other scripts (CJK sentence markers, Cyrillic verbs) takes the general path.
  if (words.foreign) return countImperativesAnyScript(text, spans);
  let n = 0;
  const { starts, hashes } = words;
  for (let k = 0; k < starts.length; k++) {
    let hash = hashes[k] ?? 0;
    if (!mayOpenImperative(hash)) continue;
    let at = starts[k] ?? 0;
    if (!startsSentence(text, at)) continue;
    if (hash === PLEASE) {
      // "please" and one space, then the verb, as in the general path.
      if (starts[k + 1] !== at + 7) continue;
      at += 7;
      hash = hashes[k + 1] ?? 0;
    }
    const hit =
      IMPERATIVE_HASHES.has(hash & SMALL_KEY) ||
      (PREFIX_HASHES.has(hash & SMALL_KEY) &&
        IMPERATIVE_PREFIXES.some(
          (p) => text.startsWith(p, at) || text.slice(at, at + p.length).toLowerCase() === p,
        ));
    if (!hit) continue;
    let end = at;
    while (end < text.length && isLatinLetterCode(text.charCodeAt(end))) end++;
    if (spans.length < 24) spans.push({ start: at, end, signal: 'imperative' });
    if (++n >= 16) break;
  }
  return n;
}

/** A sentence starts at `at`: only spaces or tabs back to a line start, or to `.!?:` and a space. */
function startsSentence(text: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
  if (j < 0) return true;
  const c = text.charCodeAt(j);
  if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  return j < at - 1 && (c === 46 || c === 33 || c === 63 || c === 58);
}

// Map and set keys masked to 30 bits stay small integers.
const SMALL_KEY = 0x3fffffff;
const PLEASE = hashWord('please');
const IMPERATIVE_HASHES = new Set([...IMPERATIVE_VERBS].map((v) => hashWord(v) & SMALL_KEY));
// "don't" is the word "don" to the word scan.
const PREFIX_HASHES = new Set([...PREFIX_FIRST_WORDS, 'don'].map((v) => hashWord(v) & SMALL_KEY));

// A bitmap over the low bits of the hashes of every word an imperative can open with ("please",
// the verbs, the prefixes' first words): most words of a text are none of them, and one bit test
// rules them out before the sentence-start test and the set lookups.
const OPENER_BITS = 12;
const openers = new Int32Array(1 << (OPENER_BITS - 5));
for (const word of [...IMPERATIVE_VERBS, ...PREFIX_FIRST_WORDS, 'don', 'please']) {
  const low = hashWord(word) & ((1 << OPENER_BITS) - 1);
  openers[low >>> 5] = (openers[low >>> 5] ?? 0) | (1 << (low & 31));
}
function mayOpenImperative(hash: number): boolean {
  const low = hash & ((1 << OPENER_BITS) - 1);
  return ((openers[low >>> 5] ?? 0) & (1 << (low & 31))) !== 0;
}

/** The general path of `countImperatives`, for text in any script. */
function countImperativesAnyScript(
  text: string,
  spans: { start: number; end: number; signal: string }[],
): number {
  let n = 0;
  for (const m of text.matchAll(SENTENCE_START)) {
    let at = m.index + m[0].length;
    FIRST_WORD.lastIndex = at;
    let word = FIRST_WORD.exec(text)?.[0].toLowerCase();
    if (word === 'please') {
      at += 7;
      FIRST_WORD.lastIndex = at;
      word = FIRST_WORD.exec(text)?.[0].toLowerCase();
    }
    const hit =
      (word !== undefined && IMPERATIVE_VERBS.has(word)) ||
      // Prefixes start with "make", "do", "don't", "break" or a CJK character: test only then.
      ((word === undefined || PREFIX_FIRST_WORDS.has(word) || text.charCodeAt(at) >= 0x3000) &&
        IMPERATIVE_PREFIXES.some(
          (p) => text.startsWith(p, at) || text.slice(at, at + p.length).toLowerCase() === p,
        ));
    if (!hit) continue;
    if (spans.length < 24) spans.push({ start: at, end: at + (word?.length ?? 1), signal: 'imperative' });
    if (++n >= 16) break;
  }
  return n;
}

// Talking about attacks: a topic word (injection, jailbreak, attack) near a word of studying or
// defending (what is, detect, defend, prevent), in several languages (written for this project).
// Runs only when a word of anchors.ts's `attackTopic` occurs: a new alternative adds its first word there.
// Both are matched at their lead words (lead-match.ts), so their Latin words are spelt out whole.
const ATTACK_TOPIC =
  /\b(?:prompt[- ]injections?|promptinjection|promptinjections|injection|injections|jailbreak|jailbreaks|jailbreaking|attack|attacks|exploit|exploits|adversarial|red[- ]team(?:ing)?|inyeccion|inyección|injecao|injeçao|injecão|injeção|iniezione|angriff|angriffe|attaque|attaques|ataque|ataques|attacchi)\b|инъекци|атак|джейлбрейк|注入|越狱|攻撃|インジェクション|脱獄|인젝션|탈옥|공격/gi;
const STUDY_OR_DEFEND =
  /\b(?:what (?:is|are)|how (?:do|does|can|could|should|would) (?:i|we|you|they|it|one|attackers?)|why (?:do|does)|explain|example of|examples of|defence|defences|defense|defenses|defend|defending|protect|protecting|protection|prevent|preventing|prevention|mitigate|mitigates|mitigating|mitigation|detect|detects|detecting|detection|detector|spot|spotting|recognise|recognize|classify|classifier|filter|filtering|regex|moderator|moderators|security (?:team|review|research)|research|researcher|researchers|researching|paper|course|lecture|robust|robustness|harden|hardening|qu'est-ce|comment (?:protéger|détecter|éviter)|protéger|détecter|défendre|qué es|cómo (?:proteger|detectar|evitar)|proteger|detectar|defender|evitar|o que é|como (?:proteger|detectar|evitar)|cos'è|come (?:proteggere|rilevare|evitare)|proteggere|rilevare|was ist|erklären|erkläre|erklär|wie (?:erkenne|verhindere|schütze)|erkennen|verhindern|schützen|abwehren)\b|что такое|как (?:защититься|обнаружить|предотвратить)|защит|обнаруж|什么是|如何(?:防御|防止|检测)|防御|防止|检测|とは|防ぐ|検出|対策|무엇|방어|탐지|막는/gi;
// Self-reference: the writer's own earlier instructions, which a user may of course refer to.
// "The text before my first message" points at the model's instructions instead, so it does not count.
// Runs only when a word of anchors.ts's `selfReference` occurs: a new alternative adds a word there.
const SELF_REFERENCE =
  /\b(?:the|those|these) (?:(?:previous|earlier|first|original|last|other) )?(?:instructions?|rules|guidelines|directions|notes) (?:i|we) (?:gave|wrote|sent|gave you|wrote you|shared|provided|mentioned)\b|(?<!\b(?:before|above|prior to|preceding|until|ahead of|after|below|following)\s{1,4})\bmy (?:own |earlier |previous |last |original |first )?(?:instructions?|message|request|prompt|question|guidelines|notes)\b|\b(?:i|we) (?:told|asked|gave|wrote|said to) you (?:earlier|before|above|previously|at the start)\b|\b(?:instrucciones|indicaciones) que te di\b|\bmis instrucciones\b|\bmes (?:instructions|consignes)\b|\ble mie istruzioni\b|\bmeine (?:anweisungen|vorgaben)\b|\bas instruções que (?:eu )?te dei\b|\binstruções que (?:eu )?te dei\b|\bminhas instruções\b|мои (?:инструкции|указания)|我(?:之前)?给你的(?:指令|指示|说明)|私の(?:指示|説明)/gi;

const TOPIC_GROUP = 0;
const STUDY_GROUP = 1;
export const DISCUSSION_MATCHER = new LeadPatterns([
  { group: TOPIC_GROUP, pattern: ATTACK_TOPIC },
  { group: STUDY_GROUP, pattern: STUDY_OR_DEFEND },
]);

/** Attack topics and words of studying or defending, up to two each: the fewer of the two counts. */
function discussionMarkers(text: string, words: WordScan): number {
  if ((words.mask & ANCHOR_BITS.attackTopic) === 0) return 0;
  const starts = words.mixedWords.length > 0 ? withInnerWords(text, words, DISCUSSION_MATCHER) : words;
  const counts = [0, 0];
  for (const hit of DISCUSSION_MATCHER.match(text, starts, () => true, 2))
    counts[hit.group] = (counts[hit.group] ?? 0) + 1;
  const topics = Math.min(2, counts[TOPIC_GROUP] ?? 0);
  return topics === 0 ? 0 : Math.min(topics, counts[STUDY_GROUP] ?? 0, 2);
}

const SELF_REFERENCE_MATCHER = new LeadPatterns([{ group: 0, pattern: SELF_REFERENCE }]);

/** Longest inner word `withInnerWords` hashes: longer than any lead word. */
const MAX_INNER_WORD = 32;

/**
 * `words` with the words `\b` sees inside words that mix ASCII with other Latin letters and that
 * lead an alternative of `matcher`, in text order. `\b` puts a word edge between an ASCII letter
 * and a Latin letter above ASCII ("detectăm" holds "detect", "éthe" holds "the"), but a pattern's
 * own accented words run across it ("éprotéger" holds "protéger"): every stretch from the word's
 * start or an inner start to an inner end or the word's end is a candidate.
 */
function withInnerWords(text: string, words: WordScan, matcher: LeadPatterns): WordScan {
  const innerStarts: number[] = [];
  const innerHashes: number[] = [];
  for (const k of words.mixedWords) {
    const start = words.starts[k] ?? 0;
    let end = start;
    while (end < text.length && isLatinLetterCode(text.charCodeAt(end))) end++;
    const from = [start];
    const to: number[] = [];
    for (let i = start + 1; i < end; i++) {
      const ascii = text.charCodeAt(i) < 128;
      if (ascii !== text.charCodeAt(i - 1) < 128) (ascii ? from : to).push(i);
    }
    to.push(end);
    for (const f of from)
      for (const t of to) {
        if (t <= f || t - f > MAX_INNER_WORD || (f === start && t === end)) continue;
        const hash = hashWord(text.slice(f, t));
        if (!matcher.leads(hash)) continue;
        innerStarts.push(f);
        innerHashes.push(hash);
      }
  }
  if (innerStarts.length === 0) return words;
  const total = words.starts.length + innerStarts.length;
  const starts = new Int32Array(total);
  const hashes = new Int32Array(total);
  let k = 0;
  let inner = 0;
  for (let out = 0; out < total; out++) {
    const innerAt = innerStarts[inner] ?? Infinity;
    if (k < words.starts.length && (words.starts[k] ?? 0) <= innerAt) {
      starts[out] = words.starts[k] ?? 0;
      hashes[out] = words.hashes[k] ?? 0;
      k++;
    } else {
      starts[out] = innerAt;
      hashes[out] = innerHashes[inner] ?? 0;
      inner++;
    }
  }
  return { ...words, starts, hashes };
}

/** Self-references, up to two. */
function selfReferences(text: string, words: WordScan): number {
  if ((words.mask & ANCHOR_BITS.selfReference) === 0) return 0;
  // Every ASCII alternative starts with a lead word that a space follows, and the others need
  // letters of other scripts (which cannot overlap an ASCII match): matching at lead words finds
  // what a scan finds wherever `\b` and the word scan agree on where words start, and inside words
  // that mix ASCII with other Latin letters the words they disagree on are added.
  const starts = words.mixedWords.length > 0 ? withInnerWords(text, words, SELF_REFERENCE_MATCHER) : words;
  return Math.min(2, SELF_REFERENCE_MATCHER.match(text, starts, () => true, 2).length);
}

// Guard rules, one group per kind: prohibitions on giving a secret away, distrust of the user,
// rules that hold whatever the user says, answers conditioned on the user's input, and the
// default answer for anything else. English: the defences of the development data are.
const GUARD_RULES: readonly RegExp[] = [
  /\b(?:never|do not|don't|must not|should not|under no circumstances)\s+(?:ever\s+)?(?:reveal|disclose|share|leak|give out|repeat|print|output|say|tell|write|mention|grant)\s+(?:[^\s.!?]+\s+){0,3}?["“'‘]?(?:password|passwords|passcode|access code|secret|secrets|key|code|codes|instructions|prompt|system prompt|rules|access granted|access)\b/gi,
  /\b(?:do not|don't|never)\s+(?:believe|trust|obey|listen to|accept)\s+(?:the\s+|any\s+)?(?:user|users|user's|anyone|anything|people|input|user input)\b/gi,
  /\b(?:regardless of|no matter) what (?:the user|they|anyone|the input|the text|the user input)\b|\beven if (?:the user|they|someone|anyone|the input) (?:says?|claims?|asks?|tells?|insists?|pretends?|writes?|gives?|provides?|types?|enters?)\b/gi,
  /\bif (?:the )?(?:user|input|user input|password|passcode|access code|code|text|message)\b[^.\n]{1,80}?\b(?:say|respond|reply|output|print|answer|return)\b/gi,
  /\b(?:otherwise|else|for (?:anything|everything) else|in (?:all )?other cases),?\s+(?:just |only |always )?(?:say|respond|reply|output|print|answer|return)\b/gi,
  /\bunless\s+(?:the user|they|the input|the text|i|someone|the password|the code)\b/gi,
];

const ADDRESSES_GROUP = 0;
const ROLE_SHIFT_GROUP = 1;
const ORDERS_GROUP = 2;
/** The guard-rule kinds are the groups from here on, one per pattern of `GUARD_RULES`. */
const FIRST_GUARD_GROUP = 3;
/** The structure patterns matched at lead words, in one pass over the text's words. */
export const ADDRESS_MATCHER = new LeadPatterns([
  { group: ADDRESSES_GROUP, pattern: ADDRESSES },
  { group: ORDERS_GROUP, pattern: ORDERS_TO_ASSISTANT },
  { group: ROLE_SHIFT_GROUP, pattern: ROLE_SHIFT },
  ...GUARD_RULES.map((pattern, i) => ({ group: FIRST_GUARD_GROUP + i, pattern })),
]);
const GROUP_SIGNALS = ['addresses the assistant', 'role shift', 'order to the assistant'];
const MAX_ADDRESS_HITS = 8;

/** `words` is the text's `scanWords` result: patterns whose anchor words are absent are skipped. */
export function structureSignals(text: string, words: WordScan = scanWords(text)): StructureSignals {
  const spans: { start: number; end: number; signal: string }[] = [];
  const counts = [0, 0, 0];
  let guardKinds = 0;
  let lastGuard = -1;
  const enabled = (group: number): boolean =>
    group >= FIRST_GUARD_GROUP ||
    (words.mask & (group === ROLE_SHIFT_GROUP ? ANCHOR_BITS.roleShift : ANCHOR_BITS.addresses)) !== 0;
  for (const hit of ADDRESS_MATCHER.match(text, words, enabled, MAX_ADDRESS_HITS)) {
    if (hit.group >= FIRST_GUARD_GROUP) {
      // Hits come in group order: a new group is a new kind.
      if (hit.group !== lastGuard) guardKinds++;
      lastGuard = hit.group;
      continue;
    }
    counts[hit.group] = (counts[hit.group] ?? 0) + 1;
    if (spans.length < 24)
      spans.push({
        start: hit.start,
        end: hit.end,
        signal: GROUP_SIGNALS[hit.group] ?? 'addresses the assistant',
      });
  }
  const imperatives = countImperatives(text, spans, words);
  const { tableProse, questionLines } = offGenre(text, spans);
  const secrets = secretRequests(text, words);
  for (const { start, end } of secrets) spans.push({ start, end, signal: 'request for a guarded secret' });
  return {
    addressesAssistant: counts[ADDRESSES_GROUP] ?? 0,
    ordersToAssistant: counts[ORDERS_GROUP] ?? 0,
    imperatives,
    offGenreLines: tableProse + questionLines,
    tableProseLines: tableProse,
    roleShifts: counts[ROLE_SHIFT_GROUP] ?? 0,
    gibberish: gibberishShare(text),
    discussion: discussionMarkers(text, words),
    selfReference: selfReferences(text, words),
    secretRequests: secrets.length,
    guardRules: Math.min(3, guardKinds),
    spans,
  };
}
