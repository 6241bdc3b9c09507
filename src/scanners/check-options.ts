import { z } from 'zod';
import type { Action } from '../core/decision.ts';
import { ORIGINS } from '../core/conversation.ts';

/**
 * The option fields every check shares. Check files extend this with their own fields; the
 * result is strict, so a misspelt option is an error rather than silently ignored.
 */
export function checkOptions<A extends readonly [Action, ...Action[]]>(actions: A) {
  return z.strictObject({
    action: z.enum(actions),
    threshold: z.number().min(0).max(1).optional(),
    origins: z.array(z.enum(ORIGINS)).min(1).optional(),
  });
}
