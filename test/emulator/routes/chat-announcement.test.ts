import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const A = 'cli_announce_a';
const B = 'cli_announce_b';
const { t, sdk } = sdkForFile({
  seed: {
    apps: [
      { app_id: A, app_secret: 'made-up-secret-a' },
      { app_id: B, app_secret: 'made-up-secret-b' },
    ],
    users: [{ name: 'Alice Zhang', email: 'alice@example.com' }],
    chats: [{ name: 'Seeded', chat_id: 'oc_seeded', members: ['alice@example.com'], bots: [A, B] }],
  } as any,
});

const paragraph = (text: string) => ({ type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text } }] } });
const insert = (texts: string[], location: Record<string, unknown> = { zoneId: '0', endOfZone: true }) =>
  JSON.stringify({ requestType: 'InsertBlocksRequestType', insertBlocksRequest: { payload: JSON.stringify({ blocks: texts.map(paragraph) }), location } });
const title = (text: string) => JSON.stringify({ requestType: 'UpdateTitleRequestType', updateTitleRequest: { payload: JSON.stringify({ elements: [{ type: 'textRun', textRun: { text } }] }) } });
const content = async (chat = 'oc_seeded') => {
  const r = await sdk().im.chatAnnouncement.get({ path: { chat_id: chat } });
  return { ...r.data!, doc: JSON.parse(r.data!.content!) };
};

describe('GET /open-apis/im/v1/chats/:chat_id/announcement', () => {
  it('answers an empty announcement at revision 0 before any edit', async () => {
    const a = await content();
    expect(a.doc).toEqual({ title: { elements: [] }, body: { blocks: [] } });
    expect(a.revision).toBe('0');
  });

  it('refuses a one-to-one chat and a chat the bot is not in', async () => {
    const alice = t.users[0]!;
    const sent = await sdk().im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice.open_id, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) } });
    const p2p = await answer(sdk().im.chatAnnouncement.get({ path: { chat_id: sent.data!.chat_id! } }));
    expect([p2p.body.code, p2p.body.msg]).toEqual([232003, expect.stringContaining('Chat announcement can NOT be found in chat information')]);
    const mine = (await sdk(1).im.chat.create({ data: { name: 'B only' } })).data!.chat_id!;
    expect((await answer(sdk().im.chatAnnouncement.get({ path: { chat_id: mine } }))).body.code).toBe(232011);
  });
});

describe('PATCH /open-apis/im/v1/chats/:chat_id/announcement', () => {
  it('applies title and block inserts, each edit making the next revision that get shows', async () => {
    expect((await sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '0', requests: [title('Rota'), insert(['second'])] } })).code).toBe(0);
    await sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '1', requests: [insert(['first'], { zoneId: '0', index: 0 })] } });
    const a = await content();
    expect(a.revision).toBe('2');
    expect(a.doc.title.elements[0].textRun.text).toBe('Rota');
    expect(a.doc.body.blocks.map((b: any) => b.paragraph.elements[0].textRun.text)).toEqual(['first', 'second']);
    expect(a).toMatchObject({ modifier_id_type: 'app_id', modifier_id: A });
  });

  it('takes a revision up to 100 behind the newest, and refuses an older or a future one', async () => {
    const store = t.emu.core.store;
    const chat = store.chats.get('oc_seeded')!;
    chat.announcement = { ...store.announcementOf(chat), revision: 101 };
    expect((await sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '1', requests: [insert(['late but allowed'])] } })).code).toBe(0);
    const old = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '0', requests: [insert(['too late'])] } }));
    expect([old.body.code, old.body.msg]).toEqual([232001, expect.stringContaining('revision 0')]);
    const ahead = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '500', requests: [] } }));
    expect(ahead.body.code).toBe(232001);
    expect(chat.announcement!.revision).toBe(102);
  });

  it('refuses a malformed or unknown request with 232018 and changes nothing', async () => {
    const bad = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '0', requests: [insert(['kept out']), '{not json'] } }));
    expect([bad.body.code, bad.body.msg]).toEqual([232018, expect.stringContaining('Updating announcement failed')]);
    const unknown = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '0', requests: [JSON.stringify({ requestType: 'ReplaceAllTextRequestType' })] } }));
    expect(unknown.body.code).toBe(232018);
    expect((await content()).revision).toBe('0');
    const noRevision = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { requests: [] } as any }));
    expect(noRevision.body.error.field_violations[0].field).toBe('revision');
  });

  it('keeps editing to the owner and managers when the chat says so', async () => {
    t.emu.core.store.chats.get('oc_seeded')!.extra.edit_permission = 'only_owner';
    const r = await answer(sdk().im.chatAnnouncement.patch({ path: { chat_id: 'oc_seeded' }, data: { revision: '0', requests: [insert(['x'])] } }));
    expect([r.body.code, r.body.msg]).toEqual([232002, 'No Permission: Only chat owner or admin can edit chat information in the current situation.']);
    const owned = (await sdk().im.chat.create({ data: { name: 'Mine', edit_permission: 'only_owner' } })).data!.chat_id!;
    expect((await sdk().im.chatAnnouncement.patch({ path: { chat_id: owned }, data: { revision: '0', requests: [insert(['mine'])] } })).code).toBe(0);
  });
});
