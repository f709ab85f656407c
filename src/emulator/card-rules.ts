import { checkCard, type CardSource } from '../card/check.js';
import { isObject, type CardObject } from '../card/inspect.js';
import { cardBuildError, PARSE_ERR_MSG } from './card-errors.js';

/**
 * The one seam between `card lint`'s rule set (checkCard) and the emulator: the card that renders
 * is checked by the same rules, and the first error becomes the platform's 230099 answer.
 */

/** Lint rules the platform reports with a sub-code of its own; every other error is a parse error. */
const SUB_CODES: Record<string, { code: number; msg: string }> = {
  'v2-removed-tag': { code: 200861, msg: 'cards of schema V2 no longer support this capability' },
  'element-count': { code: 11310, msg: 'element exceeds the limit' },
};
const PARSE_ERROR = { code: 200621, msg: PARSE_ERR_MSG };

/** Rules the emulator leaves to other checks (size is answered with 230025 before this runs). */
const SKIPPED = new Set(['card-size', 'template-placeholder', 'template-reference', 'template-unchecked', 'entity-reference']);

/** `/elements/2/tag` → `ROOT -> elements -> [2](tag: chart) -> tag`, the way the platform names a place. */
export function errPathOf(card: CardObject, pointer: string): string {
  const parts = ['ROOT'];
  let cur: unknown = card;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      cur = cur[Number(key)];
      const tag = isObject(cur) && typeof cur.tag === 'string' ? `(tag: ${cur.tag})` : '';
      parts.push(`[${key}]${tag}`);
    } else {
      cur = isObject(cur) ? cur[key] : undefined;
      parts.push(key);
    }
  }
  return parts.join(' -> ');
}

const FEISHU = { platform: 'feishu' } as const;

/**
 * Throws the platform's card build error for the first error the lint rules find. `source`, what
 * the caller learned from the card's JSON text, spares walking the card for it again.
 */
export function enforceCardRules(card: CardObject, source?: CardSource): void {
  const { problems } = checkCard(card, source === undefined ? FEISHU : { platform: 'feishu', source });
  // card's schemas list "$schema" for editors (and card never sends it); the platform knows no such key.
  if (card.schema === '2.0' && Object.hasOwn(card, '$schema')) problems.unshift({ severity: 'error', rule: 'unknown-property', pointer: '/$schema', message: 'unknown property "$schema": JSON 2.0 rejects properties it does not know' });
  const first = problems.find((p) => p.severity === 'error' && !SKIPPED.has(p.rule));
  if (!first) return;
  const sub = SUB_CODES[first.rule] ?? PARSE_ERROR;
  const path = first.pointer ? errPathOf(card, first.pointer) : null;
  throw cardBuildError(sub.code, path, sub.msg, first.message);
}
