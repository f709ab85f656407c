import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INBOX_MARKDOWN_BUDGET } from '../../src/emulator/routes/inbox.js';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

/** The inbox's list and page hold up whatever a card holds, and carry the fonts card ships. */
let c: EmulatorClient;
beforeAll(async () => {
  c = await withEmulator({ settings: { rateLimits: false } });
});
afterAll(async () => {
  await c.emu.close();
});

const md = (content: string) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content }] } });
const inbox = (chatId: string) => c.call('GET', `/_emulator/inbox/messages?chat_id=${chatId}`);

describe('one card cannot break a chat\'s inbox', () => {
  it('a <local_datetime> no date can hold is sent, and the list shows it as the client does', async () => {
    const token = await c.token();
    const chatId = c.emu.state().chats[0]!.chat_id;
    const sent = await c.send(token, 'chat_id', chatId, md("due <local_datetime millisecond='99999999999999999999'></local_datetime>"));
    expect(sent.body.code).toBe(0);
    const after = await c.send(token, 'chat_id', chatId, md('next'));
    expect(after.body.code).toBe(0);
    const list = await inbox(chatId);
    expect(list.status).toBe(200);
    const html = (list.body.data.messages as Array<{ message_id: string; html: string }>).map((m) => m.html).join('');
    expect(html).toContain('due &lt;local_datetime millisecond=&#39;99999999999999999999&#39;&gt;&lt;/local_datetime&gt;');
    expect(html).toContain('next');
  });

  it('a message the inbox cannot build shows as a placeholder, reported once, and the others show', async () => {
    const token = await c.token();
    const chatId = c.emu.state().chats[0]!.chat_id;
    const bad = (await c.send(token, 'chat_id', chatId, md('broken'))).body.data.message_id as string;
    await c.send(token, 'chat_id', chatId, md('still here'));
    // A record the list cannot read (no version at all): the last resort must hold.
    c.emu.core.store.messages.get(bad)!.versions.length = 0;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (let i = 0; i < 2; i++) {
        const list = await inbox(chatId);
        expect(list.status).toBe(200);
        const messages = list.body.data.messages as Array<{ message_id: string; html: string }>;
        expect(messages.find((m) => m.message_id === bad)!.html).toContain('this message could not be shown');
        expect(messages.map((m) => m.html).join('')).toContain('still here');
      }
      const lines = stderr.mock.calls.map((args) => String(args[0])).filter((l) => l.includes(bad));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^emulator: inbox cannot show message om_\w+: /);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('a page of the list is bounded', () => {
  it('draws a bounded amount of markdown per answer, the newest messages first', async () => {
    const token = await c.token();
    const created = await c.call('POST', '/open-apis/im/v1/chats', { name: 'long cards' }, token);
    const chat = { chat_id: created.body.data.chat_id as string };
    const each = 24_000;
    const count = Math.ceil(INBOX_MARKDOWN_BUDGET / each) + 3;
    for (let i = 0; i < count; i++) {
      const sent = await c.send(token, 'chat_id', chat.chat_id, md(`m${String(i).padStart(3, '0')} ${'x'.repeat(each - 5)}`));
      expect(sent.body.code).toBe(0);
    }
    const list = await inbox(chat.chat_id);
    expect(list.status).toBe(200);
    const html = (list.body.data.messages as Array<{ html: string }>).map((m) => m.html);
    expect(html).toHaveLength(count);
    const drawn = html.map((h) => (h.match(/x/g) ?? []).length);
    // The newest are whole; the oldest on the page show how much they leave out.
    expect(drawn.at(-1)).toBe(each - 5);
    expect(html.at(-1)).not.toContain('more characters not shown');
    expect(html[0]).toContain(`${each} more characters not shown`);
    expect(drawn.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(INBOX_MARKDOWN_BUDGET);
  });
});

describe('the inbox carries the fonts card ships', () => {
  it('references them from its page, and its CSP lets the page load them from the emulator', async () => {
    const res = await fetch(`${c.emu.url}/`);
    const page = await res.text();
    const urls = [...page.matchAll(/src:url\((\/_emulator\/inbox\/fonts\/[^)]+\.woff2)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(10);
    expect(page).toContain("font-family:'card Noto Sans SC'");
    expect(page).toContain("font-family:'card Noto Color Emoji'");
    expect(res.headers.get('content-security-policy')).toMatch(/font-src 'self'/);
    // Only the slices a page draws are fetched: the page itself stays small.
    expect(page.length).toBeLessThan(400_000);
    const font = await fetch(c.emu.url + urls[0]!);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await font.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('wOF2');
  });

  it('serves only the shipped font files, by their names', async () => {
    for (const name of ['..%2F..%2Fpackage.json', 'nope.woff2', '..%2F400.css', '%2Fetc%2Fpasswd']) {
      const res = await fetch(`${c.emu.url}/_emulator/inbox/fonts/${name}`);
      expect(res.status, name).toBe(404);
      await res.arrayBuffer();
    }
  });
});
