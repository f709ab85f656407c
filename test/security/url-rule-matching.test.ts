import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { ruleMatches } from '../../src/emulator/seed-menu-links.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * A seed's URL rules are untrusted text matched against every pasted link. A rule with many `*`
 * must not cost more than (rule length × link length) steps: as a backtracking regular expression,
 * `https://x.test/*a*a*a…*b` against a long link of `a`s never finishes, and the emulator hangs.
 */
const HOSTILE = `https://x.test/${'*a'.repeat(40)}b`;
const LONG = `https://x.test/${'a'.repeat(2000)}`;

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('URL rules are matched in bounded work', () => {
  it('a hostile rule against a long link answers (no preview) instead of hanging the emulator', async () => {
    const seed = loadDefaultSeed();
    seed.apps[0]!.url_previews = [{ pattern: HOSTILE }, { pattern: `https://${'*a'.repeat(40)}b/x` }];
    emu = await startEmulator({ seed, rateLimits: false });
    const state = await json(fetch(`${emu.url}/_emulator/state`));
    const group = state.data.chats.find((c: any) => c.name === 'Card Playground').chat_id;
    const alice = state.data.users.find((u: any) => u.email === 'alice@example.com').open_id;
    const res = await fetch(`${emu.url}/_emulator/users/${alice}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: group, url: LONG }) });
    const body = (await res.json()) as any;
    expect(body.code).toBe(0);
    expect(body.data.previews).toEqual([]);
  });

  it('keeps the rule meaning: * is any run, a host * stays in the host, case does not matter', () => {
    expect(ruleMatches(HOSTILE, LONG)).toBe(false);
    expect(ruleMatches(HOSTILE, `${LONG}b`)).toBe(true);
    expect(ruleMatches('https://*.example.com/*', 'https://A.Example.com/')).toBe(true);
    expect(ruleMatches('https://*.example.com/*', 'https://example.com/')).toBe(false);
    expect(ruleMatches('https://*example.com/*', 'https://evil.test/example.com/')).toBe(false);
    expect(ruleMatches('https://*example.com/*', 'https://evil.test?example.com/')).toBe(false);
    expect(ruleMatches('https://a.test/**x', 'https://a.test/x')).toBe(true);
    expect(ruleMatches('https://a.test/*', 'https://a.test')).toBe(false);
  });
});
