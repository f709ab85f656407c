import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, type SeedFile } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/**
 * Writing the organisation's tree: the official SDK's calls, read back through the read routes,
 * the contact-range refusals and the platform's codes for the main mistakes.
 */
function seedWithRange(): SeedFile {
  const seed = loadDefaultSeed();
  // Sees Engineering and the Platform team under it.
  seed.apps.push({ app_id: 'cli_range0000000003', app_secret: 'emu-range-secret-not-real', name: 'Engineering Bot', contact_range: { departments: ['engineering'] } });
  return seed;
}

const { t, sdk } = sdkForFile({ seed: seedWithRange() });
const NARROW = 1;
const RANGED = 2;
const BY_ID = { department_id_type: 'department_id' } as const;

const person = (email: string) => t.users.find((u) => u.email === email)!;
const dept = (id: string) => [...t.emu.core.store.departments.values()].find((d) => d.department_id === id && !d.deleted);

async function create(data: Record<string, unknown>, app = 0, params: Record<string, string> = BY_ID) {
  return answer(sdk(app).contact.department.create({ data: { name: 'Infra', parent_department_id: 'engineering', ...data } as any, params: params as any }));
}

describe('POST /open-apis/contact/v3/departments', () => {
  it('creates a department that the tree then shows, with its leaders', async () => {
    const bob = person('bob@example.com');
    const r = await create({ department_id: 'infra', i18n_name: { zh_cn: '基础架构' }, leaders: [{ leaderType: 1, leaderID: bob.open_id }], order: '5' });
    expect(r.status).toBe(200);
    expect(r.body.data.department).toMatchObject({ name: 'Infra', department_id: 'infra', parent_department_id: 'engineering', leader_user_id: bob.open_id, order: '5', member_count: 0 });
    expect(r.body.data.department.open_department_id).toMatch(/^od-[0-9a-f]{32}$/);
    const children = await answer(sdk().contact.department.children({ path: { department_id: 'engineering' }, params: BY_ID }));
    // Order 5 sorts before Platform's 10.
    expect(children.body.data.items.map((d: any) => d.name)).toEqual(['Infra', 'Platform']);
    const got = await answer(sdk().contact.department.get({ path: { department_id: 'infra' }, params: BY_ID }));
    expect(got.body.data.department.i18n_name).toEqual({ zh_cn: '基础架构' });
  });

  it('makes a department id when none is given, and a group chat when asked', async () => {
    const r = await create({ create_group_chat: true, leader_user_id: person('bob@example.com').open_id });
    const d = r.body.data.department;
    expect(d.department_id).toMatch(/^D[0-9a-f]{8}$/);
    expect(d.chat_id).toMatch(/^oc_/);
    expect(t.emu.core.store.chats.get(d.chat_id)).toMatchObject({ name: 'Infra', owner_open_id: person('bob@example.com').open_id });
  });

  it('answers a repeated client_token with the same department, and a changed request under it with 40021', async () => {
    const params = { ...BY_ID, client_token: 'make-infra' };
    const first = await create({}, 0, params);
    const again = await create({}, 0, params);
    expect(again.body.data.department.open_department_id).toBe(first.body.data.department.open_department_id);
    expect((await create({ name: 'Infra 2' }, 0, params)).body.code).toBe(40021);
  });

  it('refuses a name taken by a sibling, a slash, a bad or taken id, a taken order and an unknown leader', async () => {
    expect((await create({ name: 'Platform' })).body).toMatchObject({ code: 43022, msg: expect.stringMatching(/^department name duplicate/) });
    expect((await create({ name: 'A/B' })).body.code).toBe(43029);
    expect((await create({ name: ' ' })).body.code).toBe(40016);
    expect((await create({ department_id: 'od-mine' })).body.code).toBe(43008);
    expect((await create({ department_id: 'platform' })).body.code).toBe(43007);
    expect((await create({ order: '10' })).body.code).toBe(43005);
    expect((await create({ leader_user_id: 'ou_nobody' })).body.code).toBe(41012);
    expect((await create({ leader_user_id: person('dave@example.com').open_id })).body.code).toBe(42006);
    expect(dept('infra')).toBeUndefined();
  });

  it("refuses a parent outside the app's range (the root needs the whole organisation), and an app without the write scope", async () => {
    expect((await create({ parent_department_id: '0' }, RANGED)).body).toMatchObject({ code: 40014, msg: expect.stringMatching(/^no parent dept authority error/) });
    expect((await create({ parent_department_id: 'sales' }, RANGED)).body.code).toBe(40014);
    expect((await create({ parent_department_id: 'platform' }, RANGED)).body.code).toBe(0);
    expect((await create({}, NARROW)).body.code).toBe(99991672);
  });

  it('stops at 25 levels', async () => {
    let parent = 'engineering';
    // Engineering is level 1, so l0 is level 2 and l23 level 25, the last that fits.
    for (let i = 0; i < 25; i++) {
      const r = await create({ name: `L${i}`, department_id: `l${i}`, parent_department_id: parent });
      if (i < 24) expect(r.body.code).toBe(0);
      else expect(r.body.code).toBe(43019);
      parent = `l${i}`;
    }
  });
});

describe('PATCH /open-apis/contact/v3/departments/:department_id', () => {
  it('renames and moves a department, keeping what is not given', async () => {
    const r = await answer(sdk().contact.department.patch({ path: { department_id: 'platform' }, params: BY_ID, data: { name: 'Platform Team', parent_department_id: 'product' } }));
    expect(r.body.data.department).toMatchObject({ name: 'Platform Team', parent_department_id: 'product', i18n_name: { zh_cn: '平台组' } });
    expect(r.body.data.department.leaders).toHaveLength(2);
    const children = await answer(sdk().contact.department.children({ path: { department_id: 'product' }, params: BY_ID }));
    expect(children.body.data.items.map((d: any) => d.name)).toEqual(['Platform Team']);
  });

  it('replaces the main leader and keeps the deputies; `leaders: []` clears them', async () => {
    const carol = person('carol@example.com');
    const r = await answer(sdk().contact.department.patch({ path: { department_id: 'platform' }, params: BY_ID, data: { leader_user_id: carol.open_id } }));
    expect(r.body.data.department.leaders).toEqual([
      { leaderType: 1, leaderID: carol.open_id },
      { leaderType: 2, leaderID: person('alice@example.com').open_id },
    ]);
    const cleared = await answer(sdk().contact.department.patch({ path: { department_id: 'platform' }, params: BY_ID, data: { leaders: [] } }));
    expect(cleared.body.data.department.leaders).toEqual([]);
  });

  it('refuses the root, a move below itself, a department or parent outside the range, and a leader named twice', async () => {
    const patch = (id: string, data: Record<string, unknown>, app = 0) => answer(sdk(app).contact.department.patch({ path: { department_id: id }, params: BY_ID, data: data as any }));
    expect((await patch('0', { name: 'Everyone' })).body.code).toBe(40002);
    expect((await patch('engineering', { parent_department_id: 'platform' })).body.code).toBe(40018);
    expect((await patch('sales', { name: 'Sales EU' }, RANGED)).body.code).toBe(40004);
    expect((await patch('platform', { parent_department_id: 'sales' }, RANGED)).body.code).toBe(40014);
    const bob = person('bob@example.com').open_id;
    expect((await patch('platform', { leaders: [{ leaderType: 1, leaderID: bob }, { leaderType: 2, leaderID: bob }] })).body.code).toBe(43016);
    expect(dept('platform')!.parent).toBe(dept('engineering')!.open_department_id);
  });
});

describe('PUT /open-apis/contact/v3/departments/:department_id', () => {
  it('replaces the department: leaders and other languages left out are cleared', async () => {
    const r = await answer(sdk().contact.department.update({ path: { department_id: 'platform' }, params: BY_ID, data: { name: 'Platform', parent_department_id: 'engineering' } }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.department.leaders).toEqual([]);
    expect(r.body.data.department.i18n_name).toBeUndefined();
    const missing = await answer(sdk().contact.department.update({ path: { department_id: 'platform' }, params: BY_ID, data: { name: 'Platform' } as any }));
    expect(missing.body.code).toBe(99992402);
  });
});

describe('DELETE /open-apis/contact/v3/departments/:department_id', () => {
  it('deletes an empty department; the tree no longer shows it', async () => {
    expect((await answer(sdk().contact.department.delete({ path: { department_id: 'sales' }, params: BY_ID }))).body.code).toBe(0);
    const top = await answer(sdk().contact.department.children({ path: { department_id: '0' }, params: BY_ID }));
    expect(top.body.data.items.map((d: any) => d.name)).toEqual(['Engineering', 'Product']);
    const gone = await answer(sdk().contact.department.get({ path: { department_id: 'sales' }, params: BY_ID }));
    expect(gone.body.code).toBe(40015);
  });

  it('is refused while it has members or departments below it, for the root, and outside the range', async () => {
    const del = (id: string, app = 0) => answer(sdk(app).contact.department.delete({ path: { department_id: id }, params: BY_ID }));
    expect((await del('platform')).body).toMatchObject({ code: 43011, msg: expect.stringMatching(/^delete has member dept error/) });
    // Bob is a direct member of Engineering: move him out, then only Platform below it stands in the way.
    await answer(sdk().contact.user.patch({ path: { user_id: person('bob@example.com').open_id }, params: BY_ID, data: { department_ids: ['platform'] } }));
    expect((await del('engineering')).body.code).toBe(43012);
    expect((await del('0')).body.code).toBe(40002);
    expect((await del('sales', RANGED)).body.code).toBe(40004);
    // Engineering is in range, but its parent is the root.
    expect((await del('engineering', RANGED)).body.code).toBe(40014);
  });
});

describe('PATCH /open-apis/contact/v3/departments/:department_id/update_department_id', () => {
  it('gives a department a new department_id, valid and unused', async () => {
    const open = dept('sales')!.open_department_id;
    const r = await answer(sdk().contact.department.updateDepartmentId({ path: { department_id: 'sales' }, params: BY_ID, data: { new_department_id: 'sales-emea' } }));
    expect(r.body.code).toBe(0);
    const got = await answer(sdk().contact.department.get({ path: { department_id: 'sales-emea' }, params: BY_ID }));
    expect(got.body.data.department.open_department_id).toBe(open);
    const again = (id: string, next: string, app = 0) => answer(sdk(app).contact.department.updateDepartmentId({ path: { department_id: id }, params: BY_ID, data: { new_department_id: next } }));
    expect((await again('sales-emea', 'product')).body.code).toBe(40001);
    expect((await again('sales-emea', 'od-x')).body.code).toBe(40001);
    expect((await again('sales-emea', 'sales', RANGED)).body).toMatchObject({ code: 40007, msg: expect.stringMatching(/^can not update dept custom id error/) });
  });
});

describe('POST /open-apis/contact/v3/departments/unbind_department_chat', () => {
  it("turns a department's group chat into an ordinary chat", async () => {
    const made = await answer(sdk().contact.department.patch({ path: { department_id: 'platform' }, params: BY_ID, data: { create_group_chat: true } }));
    const chatId = made.body.data.department.chat_id;
    const r = await answer(sdk().contact.department.unbindDepartmentChat({ params: BY_ID, data: { department_id: 'platform' } }));
    expect(r.body.code).toBe(0);
    const got = await answer(sdk().contact.department.get({ path: { department_id: 'platform' }, params: BY_ID }));
    expect(got.body.data.department.chat_id).toBeUndefined();
    expect(t.emu.core.store.chats.get(chatId)!.dissolved).toBe(false);
    const again = await answer(sdk().contact.department.unbindDepartmentChat({ params: BY_ID, data: { department_id: 'platform' } }));
    expect(again.body).toMatchObject({ code: 40020, msg: expect.stringMatching(/^department do not has a chat error/) });
    expect((await answer(sdk().contact.department.unbindDepartmentChat({ params: BY_ID, data: { department_id: '0' } }))).body.code).toBe(40002);
  });
});
