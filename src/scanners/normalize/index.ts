export { normalize } from './normalize.ts';
export type { Normalized, Transform, TransformKind } from './normalize.ts';
export { decodedPayloads, rot13, toMorse, DEFAULT_DECODE_LIMITS, ROT13_WORDS } from './decode.ts';
export type { Payload, PayloadKind, DecodeHints, DecodeLimits } from './decode.ts';
export { codeUnits } from './code-units.ts';
export { isLetterCode } from './letters.ts';
