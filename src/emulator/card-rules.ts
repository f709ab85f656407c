import { cardSchemaOf, isObject, type CardObject } from '../card/inspect.js';
import { lintCard } from '../card/lint.js';
import { cardBuildError, PARSE_ERR_MSG } from './card-errors.js';

/**
 * The one seam between `card lint`'s rule set and the emulator: the card is checked by the same
 * rules, and the first error becomes the platform's 230099 answer. Only this module knows the lint
 * API, so switching to the rule set's single entry point touches nothing else.
 */

/** Lint rules the platform reports with a sub-code of its own; every other error is a parse error. */
const SUB_CODES: Record<string, { code: number; msg: string }> = {
  'v2-removed-tag': { code: 200861, msg: 'cards of schema V2 no longer support this capability' },
  'element-count': { code: 11310, msg: 'element exceeds the limit' },
};
const PARSE_ERROR = { code: 200621, msg: PARSE_ERR_MSG };

/** Rules the emulator leaves to other checks (size is answered with 230025 before this runs). */
const SKIPPED = new Set(['card-size', 'template-placeholder', 'template-reference']);

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

/** A 1.0 card with nothing to show is refused, as `{}` is by the platform. */
function isEmptyCard(card: CardObject): boolean {
  if (cardSchemaOf(card) === '2.0') return false;
  const has = (k: string) => card[k] !== undefined && card[k] !== null;
  return !has('elements') && !has('i18n_elements') && !has('header') && !has('i18n_header') && !has('card_link');
}

/** Throws the platform's card build error for the first error the lint rules find. */
export async function enforceCardRules(card: CardObject): Promise<void> {
  if (isEmptyCard(card)) throw cardBuildError(PARSE_ERROR.code, null, PARSE_ERROR.msg, 'the card has no header and no elements');
  const report = await lintCard(card, null, 'card', { platform: 'feishu' });
  const first = report.problems.find((p) => p.severity === 'error' && !SKIPPED.has(p.rule));
  if (!first) return;
  const sub = SUB_CODES[first.rule] ?? PARSE_ERROR;
  throw cardBuildError(sub.code, errPathOf(card, first.pointer), sub.msg, first.message);
}
