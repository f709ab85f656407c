import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const chatId = () => t.emu.state().chats[0]!.chat_id;

async function sent(text = 'hello'): Promise<string> {
  const r = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId(), msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

const pin = (messageId: string) => answer(sdk().im.pin.create({ data: { message_id: messageId } }));
const pins = (params: Record<string, unknown> = {}) => answer(sdk().im.pin.list({ params: { chat_id: chatId(), ...params } as any }));

describe('POST /open-apis/im/v1/pins', () => {
  it('pins a message, which the chat\'s pin list then shows; pinning again answers the same pin', async () => {
    const id = await sent();
    const r = await pin(id);
    expect(r.status).toBe(200);
    expect(r.body.data.pin).toMatchObject({ message_id: id, chat_id: chatId(), operator_id: t.app.app_id, operator_id_type: 'app_id' });
    const again = await pin(id);
    expect(again.body.data.pin).toEqual(r.body.data.pin);
    expect((await pins()).body.data.items).toEqual([r.body.data.pin]);
  });

  it('refuses a recalled message (230011), an unknown one (230001) and a bot outside the chat (230002)', async () => {
    const id = await sent();
    await sdk().im.message.delete({ path: { message_id: id } });
    expect((await pin(id)).body).toMatchObject({ code: 230011, msg: 'The message is recalled.' });
    expect((await pin('om_nothing')).body).toMatchObject({ code: 230001, msg: expect.stringContaining('Your request contains an invalid request parameter') });
    const other = await sent();
    t.emu.core.store.chats.get(chatId())!.bots.delete(t.app.app_id);
    expect((await pin(other)).body).toMatchObject({ code: 230002, msg: 'The bot can not be outside the group.' });
  });

  it('refuses a sixth pin call on one message within a second (230047)', async () => {
    // A clock that stands still keeps the six calls in one window.
    let now = 1_700_000_000_000;
    await t.restart({ now: () => now });
    const id = await sent();
    for (let i = 0; i < 5; i++) expect((await pin(id)).body.code).toBe(0);
    expect((await pin(id)).body).toMatchObject({ code: 230047, msg: 'Pin/Unpin message trigger message_id limit.' });
    now += 1000;
    expect((await pin(id)).body.code).toBe(0);
  });
});

describe('DELETE /open-apis/im/v1/pins/:message_id', () => {
  it('unpins a message; one that is not pinned answers success too', async () => {
    const id = await sent();
    await pin(id);
    const d = await answer(sdk().im.pin.delete({ path: { message_id: id } }));
    expect(d.body).toMatchObject({ code: 0, msg: 'success' });
    expect((await pins()).body.data.items).toEqual([]);
    expect((await answer(sdk().im.pin.delete({ path: { message_id: id } }))).body.code).toBe(0);
  });

  it('refuses a bot outside the chat (230002)', async () => {
    const id = await sent();
    await pin(id);
    t.emu.core.store.chats.get(chatId())!.bots.delete(t.app.app_id);
    expect((await answer(sdk().im.pin.delete({ path: { message_id: id } }))).body.code).toBe(230002);
    expect(t.emu.core.store.pins.has(id)).toBe(true);
  });
});

describe('GET /open-apis/im/v1/pins', () => {
  it('lists newest first, by time window, in pages', async () => {
    let now = 1_700_000_000_000;
    await t.restart({ now: () => now });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await sent(`m${i}`));
      await pin(ids[i]!);
      now += 1000;
    }
    const all = await pins();
    expect(all.body.data.items.map((p: any) => p.message_id)).toEqual([...ids].reverse());
    const windowed = await pins({ start_time: String(1_700_000_000_500), end_time: String(1_700_000_001_500) });
    expect(windowed.body.data.items.map((p: any) => p.message_id)).toEqual([ids[1]]);
    const first = await pins({ page_size: 2 });
    expect(first.body.data).toMatchObject({ has_more: true });
    const rest = await pins({ page_size: 2, page_token: first.body.data.page_token });
    expect(rest.body.data.items.map((p: any) => p.message_id)).toEqual([ids[0]]);
  });

  it('refuses start_time not before end_time, a bad page_token, and a chat the bot is not in', async () => {
    expect((await pins({ start_time: '2000', end_time: '1000' })).body.code).toBe(230001);
    expect((await pins({ page_token: 'x' })).body.code).toBe(230001);
    expect((await pins({ page_size: 51 })).body.code).toBe(99992402);
    t.emu.core.store.chats.get(chatId())!.bots.delete(t.app.app_id);
    expect((await pins()).body).toMatchObject({ code: 230002 });
  });
});
