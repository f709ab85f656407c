import { CARD_LIMITS, describeType as describe, isObject, REMOVED_IN_V2, type CardObject } from './inspect.js';
import { depthExceeds, INPUT_LIMITS, textNestsDeeper } from './json-limits.js';
import { cardkitRules, crossFieldRules, isCardkitCard, type RuleProblem, type Severity } from './lint-rules.js';
import { renderTemplate, variablesUsed } from './template.js';
import { validatorFor, type SchemaError } from './validators.js';
import { looksLikeWpsCard, wpsRules } from './wps-lint.js';

export type { RuleProblem, Severity };

export interface CheckOptions {
  /** Which platform's card format; by default a WPS card is recognised by its shape. */
  platform?: 'feishu' | 'wps';
  /** Values for `${name}` placeholders: checks that every variable is supplied and fits where it is used. */
  templateVars?: Record<string, unknown>;
  /** Check the rules of a CardKit card entity too (also on when the card sets config.streaming_mode). */
  cardkit?: boolean;
  /**
   * What the caller learned from the JSON text it has just parsed the card from (the emulator, from
   * a message's content), to spare walking the card again: the text's size in bytes (otherwise the
   * card is serialised to be measured), whether it nests no deeper than the input limit, and
   * whether it can hold a `${…}` placeholder at all. Left out, each is found from the card.
   */
  source?: CardSource;
}

export interface CardSource {
  bytes: number;
  shallow?: boolean;
  placeholders?: boolean;
}

/** What a card's JSON text tells before the card is walked (see CheckOptions.source). */
export function cardSource(text: string, bytes: number): CardSource {
  return {
    bytes,
    shallow: !textNestsDeeper(text, INPUT_LIMITS.maxDepth),
    // `$` and `{` can only be written as themselves or as \u escapes.
    placeholders: text.includes('${') || text.includes('\\u'),
  };
}

export interface CardCheck {
  /** The card's JSON version (wps for a WPS 协作 card), or null when the value is not a card. */
  version: '1.0' | '2.0' | 'wps' | null;
  problems: RuleProblem[];
}

/** Past four times what a message may carry, a card is not checked element by element. */
export const MAX_CHECKED_BYTES = 4 * CARD_LIMITS.maxContentBytes;
const PLACEHOLDER = /\$\{[A-Za-z][A-Za-z0-9_]*\}/;

export function valueAt(card: unknown, pointer: string): unknown {
  let cur = card;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

/**
 * The platform's rules for one parsed card, synchronously: what `card lint` reports and what
 * the emulator answers a send with. Problems carry severity, rule and JSON pointer; positions
 * in a file are `lintCard`'s business. Only the validator of the card's own version is loaded.
 */
export function checkCard(card: unknown, opts: CheckOptions = {}): CardCheck {
  if (!isObject(card)) {
    return { version: null, problems: [{ severity: 'error', rule: 'not-a-card', pointer: '', message: `a card must be a JSON object, not ${describe(card)}` }] };
  }
  // The emulator hands over parsed JSON that no file check has seen: bound it before any walk.
  const source = opts.source;
  const deep = source?.shallow ? null : depthExceeds(card);
  if (deep !== null) {
    return { version: null, problems: [{ severity: 'error', rule: 'input-depth', pointer: deep, message: `the card nests deeper than ${INPUT_LIMITS.maxDepth} levels here; no card is that deep` }] };
  }
  if (card.type === 'template' && isObject(card.data)) {
    return { version: null, problems: [{ severity: 'warning', rule: 'template-reference', pointer: '/data/template_id', message: 'a reference to a published template: lint the template\'s own card JSON (with --template-vars) instead' }] };
  }
  if (card.type === 'card' && isObject(card.data)) {
    return { version: null, problems: [{ severity: 'warning', rule: 'entity-reference', pointer: '/data/card_id', message: 'a reference to a CardKit card entity: lint the card JSON the entity was created from (with --cardkit) instead' }] };
  }
  if (opts.platform === 'wps' || (opts.platform === undefined && looksLikeWpsCard(card))) {
    return { version: 'wps', problems: wpsRules(card) };
  }
  if (card.schema !== undefined && card.schema !== '1.0' && card.schema !== '2.0') {
    return {
      version: null,
      problems: [{ severity: 'error', rule: 'schema-version', pointer: '/schema', message: `${JSON.stringify(card.schema)} is not a card schema: use "2.0", or "1.0" (the default when schema is absent)` }],
    };
  }

  const problems: RuleProblem[] = [];
  let checked = card;
  const used = source?.placeholders === false ? [] : variablesUsed(card);
  if (opts.templateVars) {
    for (const name of used) {
      if (!Object.hasOwn(opts.templateVars, name)) problems.push({ severity: 'error', rule: 'template-var-missing', pointer: whereUsed(card, name) ?? '', message: `variable \${${name}} is used but not supplied` });
    }
    for (const name of Object.keys(opts.templateVars)) {
      if (!used.includes(name)) problems.push({ severity: 'warning', rule: 'template-var-unused', pointer: '', message: `variable "${name}" is supplied but the card never uses it` });
    }
    // Check the card as it will render, so a value of the wrong type shows where it lands.
    checked = renderTemplate(card, {}, opts.templateVars);
  } else if (used.length) {
    problems.push({ severity: 'warning', rule: 'template-placeholder', pointer: whereUsed(card, used[0]!) ?? '', message: `the card uses template variables (${used.map((u) => `\${${u}}`).join(', ')}): their values are unchecked; pass --template-vars vars.json to check them` });
  }
  const version = checked.schema === '2.0' ? '2.0' : '1.0';
  const bytes = checked === card && source ? source.bytes : Buffer.byteLength(JSON.stringify(checked), 'utf8');
  if (bytes > MAX_CHECKED_BYTES) {
    // Far past what can be sent, the size is the problem to fix; checking every element of a
    // huge card would take seconds (ajv slows down past some 10,000 errors) for nothing.
    problems.push({ severity: 'error', rule: 'card-size', pointer: '', message: `the card is ${bytes} bytes compacted; a card message may be at most 30 KB (${CARD_LIMITS.maxContentBytes}). Not checked further until it is near that size` });
    return { version, problems };
  }
  const found: RuleProblem[] = [];
  const validate = validatorFor(version);
  // Loops, not push(...list): a list of 100,000 problems overflows the stack as arguments.
  if (!validate(checked)) for (const p of schemaProblems(validate.errors ?? [], checked, version === '2.0')) found.push(p);
  for (const p of crossFieldRules(checked, bytes)) found.push(p);
  if (opts.cardkit || isCardkitCard(checked)) for (const p of cardkitRules(checked, opts.cardkit === true)) found.push(p);

  // Many problems can point at one long text (each bad link in it): read each text once.
  const holders = new Map<string, string | undefined>();
  const holderAt = (pointer: string) => {
    if (holders.has(pointer)) return holders.get(pointer);
    const raw = valueAt(card, pointer);
    const holder = typeof raw === 'string' ? PLACEHOLDER.exec(raw)?.[0] : undefined;
    holders.set(pointer, holder);
    return holder;
  };
  for (const p of found) {
    const holder = holderAt(p.pointer);
    if (holder && !opts.templateVars) {
      // A placeholder stands for a value only known at send time: say it is unchecked, not wrong.
      problems.push({ severity: 'warning', rule: 'template-unchecked', pointer: p.pointer, message: `holds ${holder}, so it is not checked without --template-vars (as written: ${p.message})` });
    } else if (holder) {
      problems.push({ ...p, message: `${p.message} (the value of ${holder})` });
    } else problems.push(p);
  }
  return { version, problems };
}

/** ajv's findings, in words a card developer can act on. */
function schemaProblems(errors: SchemaError[], card: CardObject, v2: boolean): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const e of errors) {
    const at = e.instancePath;
    const p = e.params;
    // A bad key is reported once, as the key, not again by the enum inside propertyNames.
    if (e.schemaPath.includes('/propertyNames/')) continue;
    switch (e.keyword) {
      case 'if':
        break; // reported through the keyword that failed inside
      case 'discriminator':
        break; // a missing or unknown tag: reported by required and by the tag's enum
      case 'propertyNames':
        out.push({ severity: 'error', rule: 'locale', pointer: `${at}/${String(p.propertyName).replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown locale "${String(p.propertyName)}"; use one of zh_cn, en_us, ja_jp, zh_hk, zh_tw, …` });
        break;
      case 'required':
        out.push({ severity: 'error', rule: 'required', pointer: at, message: `missing required property "${String(p.missingProperty)}"` });
        break;
      case 'additionalProperties':
        out.push({
          severity: 'error',
          rule: 'unknown-property',
          pointer: `${at}/${String(p.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`,
          message: v2 ? `unknown property "${String(p.additionalProperty)}": JSON 2.0 rejects properties it does not know` : `unknown property "${String(p.additionalProperty)}"`,
        });
        break;
      case 'enum': {
        const value = valueAt(card, at);
        if (at.endsWith('/tag')) {
          if (v2 && typeof value === 'string' && REMOVED_IN_V2.has(value)) break; // v2-removed-tag says it better
          out.push({ severity: 'error', rule: 'unknown-tag', pointer: at, message: `${JSON.stringify(value)} is not a component of JSON ${v2 ? '2.0' : '1.0'}` });
        } else {
          const allowed = (p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ');
          out.push({ severity: 'error', rule: 'enum', pointer: at, message: `${JSON.stringify(value)} is not allowed here; use one of ${allowed}` });
        }
        break;
      }
      case 'const':
        out.push({
          severity: 'error',
          rule: at.endsWith('/tag') ? 'unknown-tag' : 'enum',
          pointer: at,
          message: at.endsWith('/tag') ? `must be a ${JSON.stringify(p.allowedValue)} element here, not ${JSON.stringify(valueAt(card, at))}` : `must be ${JSON.stringify(p.allowedValue)}`,
        });
        break;
      case 'type': {
        const t = String(p.type);
        out.push({ severity: 'error', rule: 'type', pointer: at, message: `must be ${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}, not ${describe(valueAt(card, at)).replace(/^an? /, '')}` });
        break;
      }
      case 'minimum':
      case 'maximum':
        out.push({ severity: 'error', rule: 'range', pointer: at, message: `${String(valueAt(card, at))} is out of range: must be ${p.comparison} ${String(p.limit)}` });
        break;
      case 'minItems':
      case 'maxItems':
        out.push({ severity: 'error', rule: 'range', pointer: at, message: `${e.keyword === 'minItems' ? 'needs at least' : 'may hold at most'} ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` });
        break;
      case 'pattern':
        out.push({ severity: 'error', rule: 'format', pointer: at, message: `${JSON.stringify(valueAt(card, at))} has the wrong format (expected ${String(p.pattern)})` });
        break;
      default:
        out.push({ severity: 'error', rule: 'schema', pointer: at, message: e.message ?? e.keyword });
    }
  }
  return out;
}

/** Finds where a template variable is used, for the pointer of a "missing" problem. */
function whereUsed(card: unknown, name: string): string | null {
  const needle = `\${${name}}`;
  const stack: Array<[unknown, string]> = [[card, '']];
  while (stack.length) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(needle)) return pointer;
      continue;
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : isObject(v) ? Object.entries(v) : [];
    // Pushed in reverse, so the first use in document order is found first.
    for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], `${pointer}/${entries[i]![0].replace(/~/g, '~0').replace(/\//g, '~1')}`]);
  }
  return null;
}
