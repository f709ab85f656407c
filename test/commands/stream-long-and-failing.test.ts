import { describe, expect, it } from 'vitest';
import { emulatorForFile } from '../helpers/emulator.js';
import { readBody, serve } from '../helpers/handler.js';

/**
 * `card stream`: a text past 30 KB still closes streaming (the platform's 30 KB card rule is not
 * what the settings call measures); a failing command makes the command fail, after the card closes.
 */
const t = emulatorForFile();

async function entities(): Promise<any[]> {
  const r = (await fetch(`${t.emu.url}/_emulator/cardkit/cards`).then((x) => x.json())) as any;
  return r.data.cards;
}
const textOf = (card: any): string => card.body.elements.find((e: any) => e.element_id === 'stream_text')?.content;

describe('card stream, long and failing', () => {
  it('streams 40,000 characters and closes streaming mode, exit 0', async () => {
    const alice = t.emu.state().users[0]!;
    const text = 'x'.repeat(39_999) + '\n';
    const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json'], { input: text });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.characters).toBe(text.length);
    const [entity] = await entities();
    expect(textOf(entity.card)).toBe(text);
    expect(entity.streaming_mode).toBe(false);
    const closes = t.emu.requests().filter((q: { path: string }) => q.path.endsWith('/settings'));
    expect(closes.at(-1)!.code).toBe(0);
  });

  it('the settings call still refuses a settings document over 30 KB (200860)', async () => {
    const alice = t.emu.state().users[0]!;
    const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json'], { input: 'short' });
    expect(r.code).toBe(0);
    const app = t.emu.state().apps[0]!;
    const token = ((await fetch(`${t.emu.url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.app_id, app_secret: app.app_secret }) }).then((x) => x.json())) as any).tenant_access_token;
    const settings = JSON.stringify({ config: { summary: { content: 'y'.repeat(31 * 1024) } } });
    const res = (await fetch(`${t.emu.url}/open-apis/cardkit/v1/cards/${r.json.data.card_id}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings, sequence: r.json.data.last_sequence + 1 }),
    }).then((x) => x.json())) as any;
    expect(res.code).toBe(200860);
  });

  it('a command that fails makes stream exit 5 after closing the card, naming the command and its code', async () => {
    const alice = t.emu.state().users[0]!;
    const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json', '--', process.execPath, '-e', 'console.log("building"); process.exit(3)']);
    expect(r.code, r.stderr).toBe(5);
    expect(r.json.ok).toBe(false);
    expect(r.json.error.code).toBe('command_failed');
    expect(r.json.error.message).toContain('exited with code 3');
    expect(r.json.error.details.command_exit_code).toBe(3);
    const [entity] = await entities();
    expect(entity.streaming_mode).toBe(false);
    expect(textOf(entity.card)).toContain('building');
    const human = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--', process.execPath, '-e', 'process.exit(9)']);
    expect(human.code).toBe(5);
    expect(human.stderr).toMatch(/exited with code 9/);
    expect(human.stdout).toMatch(/^om_/);
  });

  it('a command that succeeds still exits 0', async () => {
    const alice = t.emu.state().users[0]!;
    const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json', '--', process.execPath, '-e', 'console.log("ok")']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.command_exit_code).toBe(0);
  });
});

/**
 * A platform that refuses to close streaming: a proxy in front of the emulator answers the
 * settings call with an error (every one, or only those that carry a summary).
 */
async function refusingProxy(refuse: (settings: string) => boolean) {
  return serve(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'PATCH' && req.url?.endsWith('/settings') && refuse(String(JSON.parse(body).settings))) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 300122, msg: 'Failed to update card configuration' }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const answer = await fetch(`${t.emu.url}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
}

describe('card stream when closing is refused', () => {
  it('says clearly that streaming mode could not be closed, exit 1', async () => {
    const proxy = await refusingProxy(() => true);
    try {
      const alice = t.emu.state().users[0]!;
      const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json'], { input: 'some text', env: { CARD_BASE_URL: proxy.url } });
      expect(r.code).toBe(1);
      expect(r.json.error.message).toContain('streaming mode could NOT be closed');
      expect(r.json.error.details.streaming_closed).toBe(false);
      expect((await entities())[0].streaming_mode).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('when only the summary is refused, closes with the switch alone and says the card was closed', async () => {
    const proxy = await refusingProxy((settings) => settings.includes('summary'));
    try {
      const alice = t.emu.state().users[0]!;
      const r = await t.sb.run(['stream', '--to', alice.open_id, '--interval', '100', '--json'], { input: 'some text', env: { CARD_BASE_URL: proxy.url } });
      expect(r.code).toBe(1);
      expect(r.json.error.message).toContain('streaming mode was closed');
      expect((await entities())[0].streaming_mode).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});
