import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/clock.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const URL = 'https://docs.example.com/d/42?x=1&y=2';

/** A message in the seeded group carrying URL, and the preview token the platform would hand the app for it. */
async function previewToken(url = URL): Promise<{ token: string; chatId: string }> {
  const chatId = t.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;
  const sent = await sdk().im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: 'text', content: JSON.stringify({ text: `see ${url}` }) } });
  const r = await t.call('POST', '/_emulator/url_previews', { message_id: sent.data!.message_id, url });
  expect(r.status).toBe(200);
  return { token: r.body.data.preview_token, chatId };
}

const preview = (token: string) => t.emu.core.store.urlPreviews.get(token)!;

describe('POST /open-apis/im/v2/url_previews/batch_update', () => {
  it('records a refresh of each token: count, time and the members asked for', async () => {
    const { token } = await previewToken();
    const [alice, , carol] = t.users;
    expect(preview(token).refreshes).toBe(0);
    const r = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token], open_ids: [alice!.open_id, carol!.open_id] } }));
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(preview(token)).toMatchObject({ refreshes: 1, last_refresh: expect.any(Number), last_open_ids: [alice!.open_id] });
    await t.call('POST', '/_emulator/clock', { advance_seconds: 5 });
    await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token] } }));
    expect(preview(token)).toMatchObject({ refreshes: 2, last_open_ids: null });
  });

  it('refreshes one token at most once per 5 s (230020), and a refused call refreshes nothing', async () => {
    const { token } = await previewToken();
    const other = (await previewToken('https://example.com/other')).token;
    await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token] } }));
    const again = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [other, token] } }));
    expect(again.body).toMatchObject({ code: 230020, msg: expect.stringContaining('once per 5 s') });
    expect(preview(other).refreshes).toBe(0);
    await t.call('POST', '/_emulator/clock', { advance_seconds: 5 });
    expect((await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token] } }))).body.code).toBe(0);
  });

  it('refuses an unknown token (230001) and more than 10 tokens', async () => {
    const unknown = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: ['pt_nope'] } }));
    expect(unknown.body).toMatchObject({ code: 230001, msg: expect.stringContaining('pt_nope') });
    const many = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: Array.from({ length: 11 }, (_, i) => `pt_${i}`) } }));
    expect(many.body.code).toBe(99992402);
    expect(many.body.error.field_violations[0].field).toBe('preview_tokens');
    const { token } = await previewToken();
    const stranger = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token], open_ids: ['ou_nobody'] } }));
    expect(stranger.body).toMatchObject({ code: 230001, msg: expect.stringContaining('ou_nobody') });
    expect(preview(token).refreshes).toBe(0);
  });

  it("refuses another app's preview token (230001)", async () => {
    const { token, chatId } = await previewToken();
    const other = t.emu.state().apps[1]!.app_id;
    t.emu.core.store.chats.get(chatId)!.bots.add(other);
    const messageId = preview(token).message_id;
    const theirs = (await t.call('POST', '/_emulator/url_previews', { message_id: messageId, url: URL, app_id: other })).body.data.preview_token as string;
    expect(theirs).not.toBe(token);
    const r = await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [theirs] } }));
    expect(r.body).toMatchObject({ code: 230001, msg: expect.stringContaining('not a preview token of this app') });
  });

  it('takes 5 calls a second from one app, then answers 99991400', async () => {
    const clock = new FakeClock();
    await t.restart({ now: () => clock.now() });
    const tokens = [];
    for (let i = 0; i < 6; i++) {
      tokens.push((await previewToken(`https://example.com/p${i}`)).token);
      clock.advance(1000);
    }
    // The clock stands still: all six calls fall in the same second.
    const codes = [];
    for (const token of tokens) codes.push((await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [token] } }))).body.code);
    expect(codes).toEqual([0, 0, 0, 0, 0, 99991400]);
    clock.advance(1000);
    expect((await answer(sdk().im.v2.urlPreview.batchUpdate({ data: { preview_tokens: [tokens[5]!] } }))).body.code).toBe(0);
  });

  it('needs im:url_preview.update', async () => {
    const r = await answer(sdk(1).im.v2.urlPreview.batchUpdate({ data: { preview_tokens: ['pt_x'] } }));
    expect(r.body.code).toBe(99991672);
    expect(r.body.msg).toContain('im:url_preview.update');
  });
});

describe('the control route that makes a preview token', () => {
  it('gives one token per message and URL, and refuses a URL the message does not hold', async () => {
    const { token } = await previewToken();
    const m = [...t.emu.core.store.urlPreviews.values()][0]!;
    const again = await t.call('POST', '/_emulator/url_previews', { message_id: m.message_id, url: URL });
    expect(again.body.data.preview_token).toBe(token);
    const absent = await t.call('POST', '/_emulator/url_previews', { message_id: m.message_id, url: 'https://elsewhere.example.com' });
    expect(absent.status).toBe(400);
    expect(JSON.stringify(absent.body)).toContain('does not contain this URL');
    const noMessage = await t.call('POST', '/_emulator/url_previews', { message_id: 'om_nope', url: URL });
    expect(noMessage.status).toBe(404);
    const outsider = await t.call('POST', '/_emulator/url_previews', { message_id: m.message_id, url: URL, app_id: t.emu.state().apps[1]!.app_id });
    expect(outsider.status).toBe(400);
    expect(JSON.stringify(outsider.body)).toContain('has no bot in the message');
  });
});
