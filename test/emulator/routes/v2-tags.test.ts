import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const playground = () => t.emu.state().chats.find((c) => c.name === 'Card Playground')!.chat_id;

async function createTag(name: string): Promise<string> {
  const r = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name, i18n_names: [{ locale: 'en_us', name: `${name} (en)` }] } } }));
  expect(r.body.code).toBe(0);
  return r.body.data.id;
}

async function boundTo(chatId: string) {
  const r = await answer(sdk().im.v2.bizEntityTagRelation.get({ params: { tag_biz_type: 'chat', biz_entity_id: chatId } }));
  expect(r.body.code).toBe(0);
  return r.body.data.tag_info_with_bind_versions as Array<{ tag_info: Record<string, unknown>; bind_version: string }>;
}

describe('POST /open-apis/im/v2/tags', () => {
  it('makes a tenant tag, and answers a second tag of the same name with the first one\'s id', async () => {
    const id = await createTag('VIP');
    expect(id).toMatch(/^\d+$/);
    expect(t.emu.core.store.tags.get(id)).toMatchObject({ name: 'VIP', tag_type: 'tenant', i18n_names: [{ locale: 'en_us', name: 'VIP (en)' }] });
    const dup = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name: 'VIP' } } }));
    expect(dup.body).toMatchObject({ code: 0, data: { create_tag_fail_reason: { duplicate_id: id } } });
    expect(dup.body.data.id).toBeUndefined();
    expect(t.emu.core.store.tags.size).toBe(1);
  });

  it('refuses another tag type, a missing name and more than 40 names per language', async () => {
    const type = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'user' as any, name: 'x' } } }));
    expect(type.body.error.field_violations[0].field).toBe('create_tag.tag_type');
    const name = await t.call('POST', '/open-apis/im/v2/tags', { create_tag: { tag_type: 'tenant' } }, await t.token());
    expect(name.body.error.field_violations[0].field).toBe('create_tag.name');
    const i18n = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name: 'x', i18n_names: Array.from({ length: 41 }, (_, i) => ({ locale: `l${i}`, name: 'x' })) } } }));
    expect(i18n.body.error.field_violations[0].field).toBe('create_tag.i18n_names');
  });

  it("takes bot_id only as the calling app's own bot (230001 otherwise)", async () => {
    const own = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name: 'Mine' }, bot_id: t.app.app_id } }));
    expect(own.body.code).toBe(0);
    const other = await answer(sdk().im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name: 'Theirs' }, bot_id: 'cli_someone_else' } }));
    expect(other.body).toMatchObject({ code: 230001, msg: expect.stringContaining('bot_id') });
  });

  it('needs im:tag:write', async () => {
    const r = await answer(sdk(1).im.v2.tag.create({ data: { create_tag: { tag_type: 'tenant', name: 'x' } } }));
    expect(r.body.code).toBe(99991672);
  });
});

describe('PATCH /open-apis/im/v2/tags/:tag_id', () => {
  it('renames a tag and answers a name another tag holds with its id, changing nothing', async () => {
    const vip = await createTag('VIP');
    const gold = await createTag('Gold');
    await t.call('POST', '/_emulator/clock', { advance_seconds: 10 });
    const r = await answer(sdk().im.v2.tag.patch({ path: { tag_id: vip }, data: { patch_tag: { id: vip, name: 'Platinum', i18n_names: [{ locale: 'zh_cn', name: '白金' }] } } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.tag_info).toMatchObject({ id: vip, name: 'Platinum', i18n_names: [{ locale: 'zh_cn', name: '白金' }] });
    expect(Number(r.body.data.tag_info.update_time) - Number(r.body.data.tag_info.create_time)).toBeGreaterThanOrEqual(10_000);
    const dup = await answer(sdk().im.v2.tag.patch({ path: { tag_id: vip }, data: { patch_tag: { id: vip, name: 'Gold' } } }));
    expect(dup.body.data).toMatchObject({ patch_tag_fail_reason: { duplicate_id: gold }, tag_info: { name: 'Platinum' } });
  });

  it('answers 230001 for an unknown tag and for patch_tag.id naming another tag', async () => {
    const vip = await createTag('VIP');
    const unknown = await answer(sdk().im.v2.tag.patch({ path: { tag_id: '7000' }, data: { patch_tag: { id: '7000', name: 'x' } } }));
    expect(unknown.body).toMatchObject({ code: 230001, msg: expect.stringContaining('7000') });
    const other = await answer(sdk().im.v2.tag.patch({ path: { tag_id: vip }, data: { patch_tag: { id: '7000', name: 'x' } } }));
    expect(other.body).toMatchObject({ code: 230001, msg: expect.stringContaining('patch_tag.id') });
  });
});

describe('POST /open-apis/im/v2/biz_entity_tag_relation', () => {
  it('binds tags to a chat; binding one again keeps its first bind time', async () => {
    const vip = await createTag('VIP');
    const gold = await createTag('Gold');
    const chatId = playground();
    expect((await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: chatId, tag_ids: [vip] } }))).body.code).toBe(0);
    const first = (await boundTo(chatId))[0]!.bind_version;
    await t.call('POST', '/_emulator/clock', { advance_seconds: 3 });
    await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: chatId, tag_ids: [vip, gold] } }));
    const bound = await boundTo(chatId);
    expect(bound.map((b) => b.tag_info.name)).toEqual(['VIP', 'Gold']);
    expect(bound[0]!.bind_version).toBe(first);
    expect(Number(bound[1]!.bind_version)).toBeGreaterThan(Number(first));
  });

  it('answers 230001 for an unknown tag or chat and 230027 when the bot is outside the chat', async () => {
    const vip = await createTag('VIP');
    const tag = await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: playground(), tag_ids: ['7123'] } }));
    expect(tag.body).toMatchObject({ code: 230001, msg: expect.stringContaining('7123') });
    const chat = await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: 'oc_nope', tag_ids: [vip] } }));
    expect(chat.body.code).toBe(230001);
    const store = t.emu.core.store;
    const c = store.newChat({ name: 'Elsewhere', description: '', members: new Set(), bots: new Set(), now: 0 });
    store.chats.set(c.chat_id, c);
    const outside = await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: c.chat_id, tag_ids: [vip] } }));
    expect(outside.body.code).toBe(230027);
  });
});

describe('PUT /open-apis/im/v2/biz_entity_tag_relation', () => {
  it('unbinds the tags given and passes over the ones the chat does not hold', async () => {
    const vip = await createTag('VIP');
    const gold = await createTag('Gold');
    const chatId = playground();
    await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: chatId, tag_ids: [vip, gold] } }));
    const r = await answer(sdk().im.v2.bizEntityTagRelation.update({ data: { tag_biz_type: 'chat', biz_entity_id: chatId, tag_ids: [vip, '7999'] } }));
    expect(r.body.code).toBe(0);
    expect((await boundTo(chatId)).map((b) => b.tag_info.id)).toEqual([gold]);
  });

  it('takes only chats as the entity type', async () => {
    const r = await answer(sdk().im.v2.bizEntityTagRelation.update({ data: { tag_biz_type: 'doc' as any, biz_entity_id: playground(), tag_ids: [] } }));
    expect(r.body.error.field_violations[0].field).toBe('tag_biz_type');
  });
});

describe('GET /open-apis/im/v2/biz_entity_tag_relation', () => {
  it('lists a chat\'s tags with their current names, and takes either read scope', async () => {
    const vip = await createTag('VIP');
    const chatId = playground();
    expect(await boundTo(chatId)).toEqual([]);
    await answer(sdk().im.v2.bizEntityTagRelation.create({ data: { tag_biz_type: 'chat', biz_entity_id: chatId, tag_ids: [vip] } }));
    await answer(sdk().im.v2.tag.patch({ path: { tag_id: vip }, data: { patch_tag: { id: vip, name: 'VIP+' } } }));
    expect((await boundTo(chatId))[0]!.tag_info).toMatchObject({ id: vip, name: 'VIP+', tag_type: 'tenant' });
    const narrow = await answer(sdk(1).im.v2.bizEntityTagRelation.get({ params: { tag_biz_type: 'chat', biz_entity_id: chatId } }));
    expect(narrow.body.code).toBe(99991672);
    expect(narrow.body.msg).toContain('im:biz_entity_tag_relation:read, im:tag:read');
  });

  it('requires biz_entity_id', async () => {
    const r = await t.call('GET', '/open-apis/im/v2/biz_entity_tag_relation?tag_biz_type=chat', undefined, await t.token());
    expect(r.body.error.field_violations[0].field).toBe('biz_entity_id');
  });
});
