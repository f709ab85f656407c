import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AJV_ROUTE_OPTIONS, schemaKey, type DeclaredRoute } from '../../../src/emulator/catalogue/declare.js';
import { PLATFORM_ROUTES } from '../../../src/emulator/routes/index.js';

const require = createRequire(import.meta.url);

/** Every schema of every declared route, with the route it belongs to. */
const schemas = (PLATFORM_ROUTES as DeclaredRoute[])
  .filter((r) => 'declared' in r)
  .flatMap((r) => [r.declared.params, r.declared.query, r.declared.body].filter((s) => s && s !== 'raw').map((s) => ({ route: `${r.method} ${r.pattern}`, json: (s as { json: object }).json })));

describe("the build's precompiled route validators", () => {
  const built = require('../../../dist/emulator/catalogue/generated/route-validators.cjs') as Record<string, ((v: unknown) => boolean) & { errors?: unknown[] | null }>;

  it('hold a validator for every schema a route declares, so no request loads ajv', () => {
    const missing = schemas.filter((s) => typeof built[schemaKey(s.json as any)] !== 'function').map((s) => s.route);
    expect(missing).toEqual([]);
  });

  it("judge as ajv's run-time compile does, error for error", () => {
    const Ajv = require('ajv');
    const ajv = new Ajv(AJV_ROUTE_OPTIONS);
    const samples: unknown[] = [{}, { receive_id: 1 }, { user_id_type: 'nobody' }, { emails: ['a'.repeat(5)] }, { page_size: 0 }, { message_id: '' }, [], 'x'];
    for (const s of schemas) {
      const runtime = ajv.compile(s.json);
      const prebuilt = built[schemaKey(s.json as any)]!;
      for (const sample of samples) {
        expect(prebuilt(sample), `${s.route} on ${JSON.stringify(sample)}`).toBe(runtime(sample));
        expect(prebuilt.errors?.[0] ?? null).toEqual(runtime.errors?.[0] ?? null);
      }
    }
  });
});
