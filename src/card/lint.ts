import { CliError } from '../output/errors.js';
import { cardSchemaOf, isObject, REMOVED_IN_V2, type CardObject } from './inspect.js';
import { jsonPointerPositions, positionOf } from './json-source.js';
import { crossFieldRules, type RuleProblem, type Severity } from './lint-rules.js';
import { parseJsonWithPosition } from './load.js';
import { renderTemplate, variablesUsed } from './template.js';
import { validatorFor, type SchemaError } from './validators.js';
import { looksLikeWpsCard } from './wps-lint.js';

export interface LintProblem extends RuleProblem {
  line: number | null;
  column: number | null;
}

export interface LintReport {
  file: string;
  /** The card's JSON version (wps for a WPS 协作 card), or null when the file is not a card. */
  version: '1.0' | '2.0' | 'wps' | null;
  problems: LintProblem[];
  errors: number;
  warnings: number;
}

export interface LintOptions {
  /** Which platform's card format; by default a WPS card is recognised by its shape. */
  platform?: 'feishu' | 'wps';
  /** Values for `${name}` placeholders: checks that every variable is supplied and fits where it is used. */
  templateVars?: Record<string, unknown>;
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function valueAt(card: unknown, pointer: string): unknown {
  let cur = card;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
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
          pointer: `${at}/${String(p.additionalProperty)}`,
          message: v2 ? `unknown property "${String(p.additionalProperty)}": JSON 2.0 rejects properties it does not know` : `unknown property "${String(p.additionalProperty)}"`,
        });
        break;
      case 'enum': {
        const value = valueAt(card, at);
        if (at.endsWith('/tag')) {
          if (v2 && typeof value === 'string' && REMOVED_IN_V2.has(value)) break; // v2-removed-tag says it better
          out.push({ severity: 'error', rule: 'unknown-tag', pointer: at, message: `"${String(value)}" is not a component of JSON ${v2 ? '2.0' : '1.0'}` });
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
      case 'type':
        out.push({ severity: 'error', rule: 'type', pointer: at, message: `must be ${p.type === 'object' || p.type === 'array' || p.type === 'integer' ? 'an' : 'a'} ${String(p.type)}, not ${typeName(valueAt(card, at))}` });
        break;
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
function whereUsed(card: unknown, name: string, pointer = ''): string | null {
  if (typeof card === 'string') return card.includes(`\${${name}}`) ? pointer : null;
  const entries = Array.isArray(card) ? card.map((v, i) => [String(i), v] as const) : isObject(card) ? Object.entries(card) : [];
  for (const [k, v] of entries) {
    const found = whereUsed(v, name, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found !== null) return found;
  }
  return null;
}

export async function lintCard(card: CardObject, text: string | null, file: string, opts: LintOptions = {}): Promise<LintReport> {
  const problems: RuleProblem[] = [];
  if (card.type === 'template' && isObject(card.data)) {
    problems.push({ severity: 'warning', rule: 'template-reference', pointer: '/data/template_id', message: 'a reference to a published template: lint the template\'s own card JSON (with --template-vars) instead' });
    return finish(file, null, problems, text);
  }
  if (opts.platform === 'wps' || (opts.platform === undefined && looksLikeWpsCard(card))) {
    const { wpsRules } = await import('./wps-lint.js');
    return finish(file, 'wps', wpsRules(card), text);
  }
  let checked = card;
  const used = variablesUsed(card);
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
    problems.push({ severity: 'warning', rule: 'template-placeholder', pointer: whereUsed(card, used[0]!) ?? '', message: `the card uses template variables (${used.map((u) => `\${${u}}`).join(', ')}): pass --template-vars vars.json to check it with values` });
  }
  const version = cardSchemaOf(checked);
  const validate = await validatorFor(version);
  if (!validate(checked)) problems.push(...schemaProblems(validate.errors ?? [], checked, version === '2.0'));
  problems.push(...crossFieldRules(checked, Buffer.byteLength(JSON.stringify(checked), 'utf8')));
  return finish(file, version, problems, text);
}

function finish(file: string, version: LintReport['version'], raw: RuleProblem[], text: string | null): LintReport {
  // Mapping pointers to lines costs more than the checks; only pay for it when there is something to show.
  const positions = text && raw.length ? jsonPointerPositions(text) : null;
  const seen = new Set<string>();
  const problems: LintProblem[] = [];
  for (const p of raw) {
    const key = `${p.rule}\0${p.pointer}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = positions ? positionOf(positions, p.pointer) : null;
    problems.push({ ...p, line: pos?.line ?? null, column: pos?.column ?? null });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || (a.severity === 'error' ? -1 : 1));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { file, version, problems, errors, warnings: problems.length - errors };
}

/** Lints card JSON text; a file that does not parse is one problem at its line and column. */
export async function lintText(text: string, file: string, opts: LintOptions = {}): Promise<LintReport> {
  let value: unknown;
  try {
    value = parseJsonWithPosition(text, file);
  } catch (err) {
    const details = err instanceof CliError ? (err.details as { line?: number; column?: number } | null) : null;
    const message = (err as Error).message.replace(`${file}:${details?.line}:${details?.column}: `, '');
    return { file, version: null, problems: [{ severity: 'error', rule: 'json', pointer: '', message, line: details?.line ?? null, column: details?.column ?? null }], errors: 1, warnings: 0 };
  }
  if (!isObject(value)) {
    return { file, version: null, problems: [{ severity: 'error', rule: 'json', pointer: '', message: `a card is a JSON object, not ${typeName(value)}`, line: 1, column: 1 }], errors: 1, warnings: 0 };
  }
  return lintCard(value, text, file, opts);
}

export type { Severity };
