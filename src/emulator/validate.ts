import { PlatformError } from './http.js';

type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string[]';

interface FieldRule {
  type: FieldType;
  required?: boolean;
  maxItems?: number;
  maxLength?: number;
}

/** The platform answers a body of the wrong JSON type with 9499 and names the field. */
export function wrongType(field: string): PlatformError {
  return new PlatformError(400, 9499, `Invalid parameter type in json: ${field}. Please check and modify accordingly.`);
}

/** Missing or out-of-range fields get 99992402 with the field violations listed. */
export function fieldViolation(field: string, description: string, value?: unknown): PlatformError {
  return new PlatformError(400, 99992402, 'field validation failed', {
    field_violations: [{ field, ...(value === undefined ? {} : { value: String(value) }), description }],
  });
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PlatformError(400, 9499, 'Invalid request body: a JSON object is expected.');
  }
  return body as Record<string, unknown>;
}

/** Checks the fields named in `rules` and returns the body typed as the caller declares. */
export function checkFields<T>(body: Record<string, unknown>, rules: Record<string, FieldRule>): T {
  // for…in over the rules, not Object.entries: every request runs this, and the pairs were garbage.
  for (const name in rules) {
    const rule = rules[name]!;
    const v = body[name];
    if (v === undefined || v === null) {
      if (rule.required) throw fieldViolation(name, `${name} is required`);
      continue;
    }
    const ok =
      rule.type === 'array'
        ? Array.isArray(v)
        : rule.type === 'string[]'
          ? Array.isArray(v) && v.every((x) => typeof x === 'string')
          : rule.type === 'object'
            ? typeof v === 'object' && !Array.isArray(v)
            : typeof v === rule.type;
    if (!ok) throw wrongType(name);
    if (rule.required && rule.type === 'string' && v === '') throw fieldViolation(name, `${name} must not be empty`);
    if (rule.maxItems !== undefined && Array.isArray(v) && v.length > rule.maxItems) {
      throw fieldViolation(name, `the maximum number of ${name} is ${rule.maxItems}`, v.length);
    }
    if (rule.maxLength !== undefined && typeof v === 'string' && v.length > rule.maxLength) {
      throw fieldViolation(name, `${name} is longer than ${rule.maxLength} characters`, v.length);
    }
  }
  return body as T;
}

export function queryEnum(query: URLSearchParams, name: string, allowed: readonly string[], fallback?: string): string {
  const v = query.get(name) ?? fallback;
  if (v === undefined || v === '') throw fieldViolation(name, `${name} is required`);
  if (!allowed.includes(v)) throw fieldViolation(name, `${name} must be one of ${allowed.join(', ')}`, v);
  return v;
}

export function queryBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  // Other languages write booleans their own way (Python's SDK sends True and False).
  const word = v.toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  throw fieldViolation(name, `${name} must be true or false`, v);
}
