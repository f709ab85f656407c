import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

function seededChat(): string {
  return t.emu.state().chats[0]!.chat_id;
}

function chatRecord(chatId: string) {
  return t.emu.core.store.chats.get(chatId)!;
}

/** No route reads the top notice back (the chat's GET does not show it), so the tests read the store. */
function topNotice(chatId: string) {
  return t.emu.core.store.topNotice(chatRecord(chatId));
}

async function sendText(chatId: string, text = 'pin me'): Promise<string> {
  const r = await sdk().im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

const put = (chatId: string, chat_top_notice: any[]) => answer(sdk().im.chatTopNotice.putTopNotice({ path: { chat_id: chatId }, data: { chat_top_notice } }));

describe('POST /open-apis/im/v1/chats/:chat_id/top_notice/put_top_notice', () => {
  it('pins a message of the chat, then the announcement in its place', async () => {
    const chatId = seededChat();
    const messageId = await sendText(chatId);
    const r = await put(chatId, [{ action_type: '1', message_id: messageId }]);
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(topNotice(chatId)).toMatchObject({ action_type: '1', message_id: messageId, operator_app_id: t.app.app_id });
    // Without action_type the announcement is pinned (the platform's default is 2).
    expect((await put(chatId, [{}])).body.code).toBe(0);
    expect(topNotice(chatId)).toMatchObject({ action_type: '2', message_id: null });
  });

  it('refuses a message that is missing, of another chat or recalled (232001), keeping the notice there was', async () => {
    const chatId = seededChat();
    const other = (await sdk().im.chat.create({ data: { name: 'Other' } })).data!.chat_id!;
    const elsewhere = await sendText(other);
    const kept = await sendText(chatId);
    await put(chatId, [{ action_type: '1', message_id: kept }]);
    const noId = await put(chatId, [{ action_type: '1' }]);
    expect(noId.body).toMatchObject({ code: 232001, msg: expect.stringContaining('message_id is required') });
    const foreign = await put(chatId, [{ action_type: '1', message_id: elsewhere }]);
    expect(foreign.body).toMatchObject({ code: 232001, msg: expect.stringContaining('Your request contains an invalid request parameter') });
    const recalled = await sendText(chatId, 'gone');
    await sdk().im.message.delete({ path: { message_id: recalled } });
    expect((await put(chatId, [{ action_type: '1', message_id: recalled }])).body.code).toBe(232001);
    expect((await put(chatId, [{}, {}])).body.code).toBe(232001);
    expect((await put(chatId, [{ action_type: '3' }])).body.code).toBe(99992402);
    expect(topNotice(chatId)?.message_id).toBe(kept);
  });

  it('lets only the owner and managers pin in a chat only they may edit (232014)', async () => {
    const chatId = seededChat();
    chatRecord(chatId).extra.edit_permission = 'only_owner';
    const refused = await put(chatId, [{}]);
    expect(refused.body).toMatchObject({ code: 232014, msg: expect.stringContaining('The token used in the request does NOT have the permissions necessary') });
    expect(topNotice(chatId)).toBeNull();
    chatRecord(chatId).bot_managers.add(t.app.app_id);
    expect((await put(chatId, [{}])).body.code).toBe(0);
  });

  it('refuses a bot outside the chat (232011), a dissolved chat (232009), an unknown chat (232006), a tenant without the scope', async () => {
    const own = (await sdk().im.chat.create({ data: { name: 'Gone' } })).data!.chat_id!;
    await sdk().im.chat.delete({ path: { chat_id: own } });
    expect((await put(own, [{}])).body.code).toBe(232009);
    expect((await put('oc_nowhere', [{}])).body.code).toBe(232006);
    expect((await answer(sdk(1).im.chatTopNotice.putTopNotice({ path: { chat_id: seededChat() }, data: { chat_top_notice: [{}] } }))).body.code).toBe(99991672);
    chatRecord(seededChat()).bots.delete(t.app.app_id);
    expect((await put(seededChat(), [{}])).body).toMatchObject({ code: 232011, msg: 'Operator can NOT be out of the chat.' });
  });
});

describe('POST /open-apis/im/v1/chats/:chat_id/top_notice/delete_top_notice', () => {
  it('takes the notice down, and answers success when nothing is pinned', async () => {
    const chatId = seededChat();
    await put(chatId, [{}]);
    const r = await answer(sdk().im.chatTopNotice.deleteTopNotice({ path: { chat_id: chatId } }));
    expect(r.body).toMatchObject({ code: 0, data: {} });
    expect(topNotice(chatId)).toBeNull();
    expect((await answer(sdk().im.chatTopNotice.deleteTopNotice({ path: { chat_id: chatId } }))).body.code).toBe(0);
  });

  it('refuses a bot that may not edit the chat (232014), keeping the notice', async () => {
    const chatId = seededChat();
    await put(chatId, [{}]);
    chatRecord(chatId).extra.edit_permission = 'only_owner';
    const r = await answer(sdk().im.chatTopNotice.deleteTopNotice({ path: { chat_id: chatId } }));
    expect(r.body.code).toBe(232014);
    expect(topNotice(chatId)?.action_type).toBe('2');
  });
});
