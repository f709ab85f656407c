import { isObject, type CardObject } from './inspect.js';

export type VariableType = 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface VariableSpec {
  type: VariableType;
  default?: unknown;
}

export class TemplateVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: VariableType,
    readonly actual: string,
  ) {
    super(`variable "${variable}" must be of type ${expected}, got ${actual}`);
  }
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/;

export function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Throws TemplateVariableError on the first value that does not match its declared type. */
export function checkVariableTypes(specs: Record<string, VariableSpec>, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    const spec = specs[name];
    if (!spec) continue;
    const actual = typeOfValue(value);
    if (actual !== spec.type) throw new TemplateVariableError(name, spec.type, actual);
  }
}

/** Variable names a card uses, in order of first appearance. */
export function variablesUsed(card: unknown): string[] {
  const seen = new Set<string>();
  const visit = (v: unknown): void => {
    // Most strings hold no placeholder: only those with `${` are matched.
    if (typeof v === 'string') {
      if (v.includes('${')) for (const m of v.matchAll(PLACEHOLDER)) seen.add(m[1]!);
    } else if (Array.isArray(v)) for (const x of v) visit(x);
    else if (isObject(v)) for (const x of Object.values(v)) visit(x);
  };
  visit(card);
  return [...seen];
}

/**
 * Fills `${name}` placeholders. A string that is exactly one placeholder takes the value with
 * its type (so a list can feed a repeated element); inside longer text the value is stringified.
 * Unknown variables become empty, as the builder renders an unset variable.
 */
export function renderTemplate(
  card: CardObject,
  specs: Record<string, VariableSpec>,
  values: Record<string, unknown>,
): CardObject {
  const lookup = (name: string): unknown => {
    if (Object.hasOwn(values, name)) return values[name];
    return specs[name]?.default ?? '';
  };
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE_PLACEHOLDER.exec(v);
      if (whole) return lookup(whole[1]!);
      return v.replace(PLACEHOLDER, (_m, name: string) => {
        const value = lookup(name);
        return typeof value === 'string' ? value : JSON.stringify(value);
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(card) as CardObject;
}
