/**
 * Request schemas for the route catalogue: each builder returns a JSON Schema that ajv checks and,
 * through a phantom type, the TypeScript type a handler reads. One declaration gives both, so a
 * route's rules and its types cannot drift apart.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
}

declare const TYPE: unique symbol;

/** A schema and the type of the values it accepts. */
export interface Schema<T> {
  readonly json: JsonSchema;
  readonly optional: boolean;
  readonly [TYPE]?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<P extends Shape> = { [K in keyof P]: P[K] extends { optional: true } ? K : never }[keyof P];
type RequiredKeys<P extends Shape> = Exclude<keyof P, OptionalKeys<P>>;
type Simplify<T> = { [K in keyof T]: T[K] };
export type ObjectOf<P extends Shape> = Simplify<{ [K in RequiredKeys<P>]: Infer<P[K]> } & { [K in OptionalKeys<P>]?: Infer<P[K]> }>;

export interface Optional<T> extends Schema<T> {
  readonly optional: true;
}

function schema<T>(json: JsonSchema): Schema<T> {
  return { json, optional: false } as Schema<T>;
}

interface StringRules {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  description?: string;
}

interface NumberRules {
  minimum?: number;
  maximum?: number;
  description?: string;
}

export const s = {
  string: (rules: StringRules = {}) => schema<string>({ type: 'string', ...rules }),
  /** One of the given strings. */
  enum: <const V extends readonly string[]>(values: V, description?: string) => schema<V[number]>({ type: 'string', enum: values, ...(description ? { description } : {}) }),
  integer: (rules: NumberRules = {}) => schema<number>({ type: 'integer', ...rules }),
  number: (rules: NumberRules = {}) => schema<number>({ type: 'number', ...rules }),
  boolean: () => schema<boolean>({ type: 'boolean' }),
  array: <T>(items: Schema<T>, rules: { minItems?: number; maxItems?: number } = {}) => schema<T[]>({ type: 'array', items: items.json, ...rules }),
  /** An object with these fields; other fields are allowed and ignored, as the platform does. */
  object: <P extends Shape>(props: P) =>
    schema<ObjectOf<P>>({
      type: 'object',
      properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.json])),
      required: Object.entries(props)
        .filter(([, v]) => !v.optional)
        .map(([k]) => k),
    }),
  /** An object with any keys, each holding `value`. */
  record: <T>(value: Schema<T>) => schema<Record<string, T>>({ type: 'object', additionalProperties: value.json }),
  /** Any JSON value, checked by the handler (card JSON, whose rules are the card validator's). */
  any: () => schema<unknown>({}),
  optional: <T>(inner: Schema<T>): Optional<T> => ({ json: inner.json, optional: true }) as Optional<T>,
};

/** The schema of a route with no path, query or body fields. */
export const NOTHING = s.object({});
