import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, Sandbox } from '../helpers/cli.js';
import { redactFixture } from '../../src/callback/redact.js';

/**
 * `card fixtures show` hides a Verification Token not only where a whole string equals it but
 * inside a longer string too: a URL or a header line a captured request quoted. Unrelated text is
 * left as it was.
 */
const CAPTURED = 'made-up-captured-verification-token-41';
const CONFIGURED = 'made-up-configured-verification-token-42';
const sb = new Sandbox();
afterAll(() => sb.cleanup());

function fixtureWith(name: string, token: string, extra: Record<string, unknown>): string {
  const file = join(sb.dir, name);
  const shipped = JSON.parse(readFileSync(join(FIXTURES, 'callbacks/button.json'), 'utf8'));
  shipped.payload.header.token = token;
  Object.assign(shipped.payload.event.action.value, extra);
  writeFileSync(file, JSON.stringify(shipped));
  return file;
}

describe('fixtures show hides a token inside longer strings', () => {
  it("hides the fixture's own token where a URL or a header carries it, and keeps the rest", async () => {
    const file = fixtureWith('captured.json', CAPTURED, {
      callback: `https://bot.example.com/hook?token=${CAPTURED}&x=1`,
      header: `X-Lark-Token: ${CAPTURED}`,
      note: 'approve the expense',
    });
    for (const args of [['fixtures', 'show', file], ['fixtures', 'show', file, '--json']]) {
      const r = await sb.run(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(CAPTURED);
      expect(r.stdout).toContain('https://bot.example.com/hook?token=<redacted');
      expect(r.stdout).toContain('X-Lark-Token: <redacted');
      expect(r.stdout).toContain('approve the expense');
    }
  });

  it('hides the configured token inside a longer string', async () => {
    const file = fixtureWith('configured.json', 'some-other-apps-token-0000', { echoed: `token=${CONFIGURED};path=/` });
    const r = await sb.run(['fixtures', 'show', file, '--json'], { env: { CARD_VERIFICATION_TOKEN: CONFIGURED } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(CONFIGURED);
    expect(r.json.data.fixture.payload.event.action.value.echoed).toMatch(/^token=<redacted …42>;path=\/$/);
  });

  it('leaves text alone where a short token value would only garble it', () => {
    const fixture = { _meta: { name: 'short' }, payload: { header: { token: 'on' }, event: { note: 'only one option', other: 'on' } } };
    const shown = redactFixture(fixture, []);
    expect(shown.payload.header.token).toBe('<redacted>');
    expect(shown.payload.event.note).toBe('only one option');
    // A whole string equal to it is still hidden.
    expect(shown.payload.event.other).toBe('<redacted>');
  });
});
