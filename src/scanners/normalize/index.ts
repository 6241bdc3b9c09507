export { normalize } from './normalize.ts';
export type { Normalized, Transform, TransformKind } from './normalize.ts';
export { decodedPayloads, rot13, DEFAULT_DECODE_LIMITS } from './decode.ts';
export type { Payload, PayloadKind, DecodeLimits } from './decode.ts';
