import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Route, RouteContext, RouteResult } from '../core.js';
import { PlatformError } from '../http.js';
import type { AppRecord } from '../store.js';
import { fail, type ErrorCode } from './errors.js';
import type { Infer, JsonSchema, Schema } from './schema.js';

/** Which access tokens a route takes, as the platform's docs list them. */
export type TokenType = 'tenant' | 'user' | 'app';

/** How much of the platform's behaviour a route has: `full`, or `partial` with what is left out. */
export type Coverage = 'full' | { partial: string };

/** What a declared route's handler reads: the request, checked against its schemas and typed by them. */
export interface OpenApiContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The query as sent, for the rare field a schema cannot describe. */
  search: URLSearchParams;
  raw: Buffer;
  req: RouteContext['req'];
  /** The calling app; a route that takes no token (`tokens: []`) has none, and must not read it. */
  app: AppRecord;
  core: RouteContext['core'];
}

export interface OpenApiRoute<PS extends Schema<unknown>, QS extends Schema<unknown>, BS extends Schema<unknown>> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `:name` segments; literal segments win over parameters. */
  path: `/open-apis/${string}`;
  /** The platform's title of the route (the SDK's doc comment). */
  title: string;
  /** `[]`: the route takes no token (the token routes themselves); the gateway checks no token or scope. */
  tokens: readonly TokenType[];
  /** Any one of these scopes lets the call through; none means no scope is checked. */
  scopes?: readonly string[];
  params?: PS;
  query?: QS;
  /** A JSON body; `raw` leaves it unparsed (multipart uploads). */
  body?: BS | 'raw';
  maxBodyBytes?: number;
  /** The codes this route answers beyond the gateway's (tokens, scopes, frequency, request shape). */
  errors: readonly ErrorCode[];
  coverage: Coverage;
  /** What a caller should know of the route's rules, for the generated route table (docs/coverage.md). */
  notes?: string;
  handle(ctx: OpenApiContext<Infer<PS>, Infer<QS>, Infer<BS>>): RouteResult | Promise<RouteResult>;
}

/** The codes any route may answer without naming them: they come from the gateway, not the route. */
export const GATEWAY_CODES: ReadonlySet<number> = new Set([9499, 99991400, 99991661, 99991663, 99991668, 99991672, 99992402]);

/** A declared route: the entry as written, and the `Route` the server runs. */
export interface DeclaredRoute extends Route {
  declared: OpenApiRoute<Schema<unknown>, Schema<unknown>, Schema<unknown>>;
}

/** One entry of the catalogue. The handler sees path, query and body already checked and typed. */
export function openApi<PS extends Schema<unknown> = Schema<Record<string, never>>, QS extends Schema<unknown> = Schema<Record<string, never>>, BS extends Schema<unknown> = Schema<Record<string, never>>>(
  entry: OpenApiRoute<PS, QS, BS>,
): DeclaredRoute {
  const declared = entry as unknown as OpenApiRoute<Schema<unknown>, Schema<unknown>, Schema<unknown>>;
  const allowed = new Set<number>([...GATEWAY_CODES, ...entry.errors]);
  let checks: Checks | undefined;
  return {
    declared,
    method: entry.method,
    pattern: entry.path,
    auth: entry.tokens.length === 0 ? 'none' : 'tenant',
    scopes: entry.scopes,
    tokens: entry.tokens,
    body: entry.body === 'raw' ? 'raw' : 'json',
    maxBodyBytes: entry.maxBodyBytes,
    handle(ctx) {
      checks ??= compileChecks(declared);
      const params = checks.params(ctx.params, 'path');
      const query = checks.query(queryObject(ctx.query, declared.query?.json), 'query');
      const body = declared.body === 'raw' ? undefined : checks.body(bodyObject(ctx.body, declared.body !== undefined), 'body');
      try {
        const out = declared.handle({ params, query, body, search: ctx.query, raw: ctx.raw, req: ctx.req, app: ctx.app, core: ctx.core });
        return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(undeclared(err, allowed, declared, ctx))) : out;
      } catch (err) {
        throw undeclared(err, allowed, declared, ctx);
      }
    },
  };
}

/**
 * A code the route did not declare is a bug in the catalogue (the coverage table would not show
 * it): the answer still goes out, and the core keeps the slip for the test suite to report.
 */
function undeclared(err: unknown, allowed: ReadonlySet<number>, route: { method: string; path: string }, ctx: RouteContext): unknown {
  if (err instanceof PlatformError && !allowed.has(err.code)) ctx.core.noteUndeclaredCode(`${route.method} ${route.path} answered ${err.code}, which it does not declare`);
  return err;
}

type Check = (value: unknown, where: 'path' | 'query' | 'body') => never | any;

interface Checks {
  params: Check;
  query: Check;
  body: Check;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type AjvValidate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let ajv: { compile(schema: object): AjvValidate } | undefined;

/** The key a schema's validator goes by in the build's generated module: its JSON, hashed. */
export function schemaKey(json: JsonSchema): string {
  return `s${createHash('sha1').update(JSON.stringify(json)).digest('hex').slice(0, 20)}`;
}

/** Shared by the run-time compile and the build's standalone code, so both judge alike. */
export const AJV_ROUTE_OPTIONS = { allErrors: false, strict: false } as const;

let generated: Record<string, AjvValidate> | null | undefined;

/**
 * The validators `npm run build` compiled from every declared schema (scripts/build-route-validators.mjs),
 * so no request pays for loading ajv and compiling; a schema the build did not see (running from
 * source, or edited since) is compiled by ajv on its first request instead.
 */
function prebuilt(json: JsonSchema): AjvValidate | undefined {
  if (generated === undefined) {
    try {
      generated = createRequire(import.meta.url)('./generated/route-validators.cjs') as Record<string, AjvValidate>;
    } catch {
      generated = null;
    }
  }
  return generated?.[schemaKey(json)];
}

/** ajv is loaded on the first request to a declared route the build did not compile, not when the emulator starts. */
function compiler() {
  if (!ajv) {
    const Ajv = createRequire(import.meta.url)('ajv') as { default?: new (o: object) => typeof ajv } & (new (o: object) => typeof ajv);
    const Ctor = (Ajv.default ?? Ajv) as new (o: object) => NonNullable<typeof ajv>;
    ajv = new Ctor(AJV_ROUTE_OPTIONS);
  }
  return ajv;
}

const PASS: Check = (value) => value ?? {};

function compileChecks(route: OpenApiRoute<Schema<unknown>, Schema<unknown>, Schema<unknown>>): Checks {
  const make = (schema: Schema<unknown> | 'raw' | undefined): Check => {
    if (schema === undefined || schema === 'raw') return PASS;
    const validate = prebuilt(schema.json) ?? compiler().compile(schema.json);
    return (value, where) => {
      if (validate(value)) return value;
      throw violation(validate.errors?.[0], where, schema.json);
    };
  };
  return { params: make(route.params), query: make(route.query), body: make(route.body) };
}

/** The field an ajv error is about, as the platform names it: `reaction_type.emoji_type`, `items[2]`. */
function fieldOf(e: AjvError): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String(e.params.missingProperty));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/**
 * The platform's answers to a request that breaks its schema: a JSON value of the wrong type is
 * 9499 naming the field; a missing field or one out of its range is 99992402 with the violation.
 */
function violation(e: AjvError | undefined, where: 'path' | 'query' | 'body', root: JsonSchema): PlatformError {
  if (!e) return fail(99992402);
  const field = fieldOf(e);
  if (e.keyword === 'type' && where === 'body') {
    return new PlatformError(400, 9499, `Invalid parameter type in json: ${field}. Please check and modify accordingly.`);
  }
  const description = describe(e, field, root);
  return fail(99992402, undefined, { field_violations: [{ field, description }] });
}

function describe(e: AjvError, field: string, _root: JsonSchema): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `${field} is required`;
    case 'type':
      return `${field} must be ${String(p.type)}`;
    case 'enum':
      return `${field} must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'minLength':
      return p.limit === 1 ? `${field} must not be empty` : `${field} is shorter than ${String(p.limit)} characters`;
    case 'maxLength':
      return `${field} is longer than ${String(p.limit)} characters`;
    case 'minItems':
      return `the minimum number of ${field} is ${String(p.limit)}`;
    case 'maxItems':
      return `the maximum number of ${field} is ${String(p.limit)}`;
    case 'minimum':
      return `${field} must be at least ${String(p.limit)}`;
    case 'maximum':
      return `${field} must be at most ${String(p.limit)}`;
    case 'pattern':
      return `${field} is not in the expected format`;
    default:
      return `${field} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * The query as the schema's types: clients write booleans as `true`, `True` or `TRUE` and numbers as
 * text, and repeat a key for a list. An empty value counts as absent (some encoders send every field).
 */
function queryObject(search: URLSearchParams, schema: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = schema?.properties;
  if (!props) return out;
  for (const name in props) {
    const type = props[name]!.type;
    if (type === 'array') {
      const all = search.getAll(name).filter((v) => v !== '');
      if (all.length) out[name] = all.map((v) => coerce(v, props[name]!.items?.type));
      continue;
    }
    const v = search.get(name);
    if (v !== null && v !== '') out[name] = coerce(v, type);
  }
  return out;
}

function coerce(v: string, type: JsonSchema['type']): unknown {
  if (type === 'boolean') {
    const lower = v.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : v;
  }
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

/** A JSON body as an object; a top-level `null` field counts as absent, as the platform reads it. */
function bodyObject(body: unknown, declared: boolean): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    if (!declared) return {};
    throw new PlatformError(400, 9499, 'Invalid request body: a JSON object is expected.');
  }
  let copy: Record<string, unknown> | undefined;
  for (const k in body as Record<string, unknown>) {
    if ((body as Record<string, unknown>)[k] === null) {
      copy ??= { ...(body as Record<string, unknown>) };
      delete copy[k];
    }
  }
  return copy ?? (body as Record<string, unknown>);
}

/** The platform's envelope for a success. */
export function ok(data?: unknown): RouteResult {
  return { body: data === undefined ? { code: 0, msg: 'success', data: {} } : { code: 0, msg: 'success', data } };
}
