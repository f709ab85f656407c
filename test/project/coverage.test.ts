import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTED_NAMESPACES, coverageTable, OTHER_NAMESPACES, routeKey, sdkRoutes } from '../../src/emulator/catalogue/coverage.js';
import type { DeclaredRoute } from '../../src/emulator/catalogue/declare.js';
import { ERRORS } from '../../src/emulator/catalogue/errors.js';
import { PLATFORM_ROUTES } from '../../src/emulator/routes/index.js';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const sdkSource = readFileSync(require.resolve('@larksuiteoapi/node-sdk'), 'utf8');
const sdkVersion = JSON.parse(readFileSync(join(root, 'node_modules/@larksuiteoapi/node-sdk/package.json'), 'utf8')).version as string;
const platform = sdkRoutes(sdkSource, [...COUNTED_NAMESPACES, ...OTHER_NAMESPACES]);

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the route catalogue', () => {
  it('reads the SDK’s route list: 155 routes in the four namespaces a bot uses', () => {
    const counted = platform.filter((p) => COUNTED_NAMESPACES.some((ns) => p.path.startsWith(`/open-apis/${ns}/`)));
    expect(counted).toHaveLength(155);
    expect(platform.find((p) => p.path === '/open-apis/im/v1/messages/:message_id/reactions' && p.method === 'POST')?.sdk).toBe('im.v1.messageReaction.create');
  });

  it('docs/coverage.md is what `npm run coverage` writes from the SDK and the declared routes', () => {
    const expected = coverageTable(platform, PLATFORM_ROUTES, sdkVersion);
    const actual = readFileSync(join(root, 'docs/coverage.md'), 'utf8');
    // One line names the fix, rather than a diff of the whole table.
    expect(actual === expected, 'docs/coverage.md is stale: run `npm run build && npm run coverage`').toBe(true);
  });

  it('every declared route is one the platform has (or a known route outside the SDK), and declares only catalogued codes', () => {
    const known = new Set(platform.map((p) => routeKey(p.method, p.path)));
    const outsideSdk = new Set(['POST /open-apis/ephemeral/v1/send', 'POST /open-apis/ephemeral/v1/delete', 'POST /open-apis/message/v4/batch_send', 'POST /open-apis/interactive/v1/card/update']);
    for (const r of PLATFORM_ROUTES) {
      const key = `${r.method} ${r.pattern}`;
      expect(known.has(routeKey(r.method, r.pattern)) || outsideSdk.has(key), `${key} is not a platform route`).toBe(true);
      if ('declared' in r) for (const code of (r as DeclaredRoute).declared.errors) expect(code in ERRORS, `${key} declares ${code}, which the catalogue lacks`).toBe(true);
    }
  });

  it('every declared route is named by a test (its `METHOD /open-apis/...` in a test file)', () => {
    const text = testFiles(join(root, 'test'))
      .filter((f) => !f.endsWith('coverage.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const untested = PLATFORM_ROUTES.filter((r) => 'declared' in r)
      .map((r) => `${r.method} ${r.pattern}`)
      .filter((key) => !text.includes(`'${key}'`) && !text.includes(`\`${key}\``));
    expect(untested).toEqual([]);
  });
});
