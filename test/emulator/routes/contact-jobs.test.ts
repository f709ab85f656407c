import { describe, expect, it } from 'vitest';
import { loadDefaultSeed } from '../../../src/emulator/seed.js';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();
const NARROW = 1;
const person = (email: string) => t.users.find((u) => u.email === email)!;

describe('POST /open-apis/contact/v3/job_levels', () => {
  it('creates a level that reads back, sorting last without an order', async () => {
    const r = await answer(sdk().contact.jobLevel.create({ data: { name: 'P7', description: 'Principal', status: true, i18n_name: [{ locale: 'zh_cn', value: 'P7 专家' }] } }));
    expect(r.body.code).toBe(0);
    const created = r.body.data.job_level;
    expect(created).toMatchObject({ name: 'P7', description: 'Principal', status: true, i18n_name: [{ locale: 'zh_cn', value: 'P7 专家' }] });
    expect(created.job_level_id).toMatch(/^[0-9a-z]{15}$/);
    expect(created.order).toBe(1001);
    const back = await answer(sdk().contact.jobLevel.get({ path: { job_level_id: created.job_level_id } }));
    expect(back.body.data.job_level).toEqual(created);
  });

  it('refuses a repeated name or order, a name too long and an order out of range, with their codes', async () => {
    const create = (data: any) => answer(sdk().contact.jobLevel.create({ data: { status: true, ...data } }));
    const dup = await create({ name: 'P5' });
    expect([dup.status, dup.body.code]).toEqual([400, 42305]);
    expect(dup.body.msg).toMatch(/^job level name duplicate/);
    expect((await create({ name: 'P6', order: 500 })).body.code).toBe(42306);
    expect((await create({ name: 'x'.repeat(256) })).body.code).toBe(42303);
    expect((await create({ name: 'P6', order: 99 })).body.code).toBe(42308);
    expect((await create({ name: 'P6', description: 'd'.repeat(5001) })).body.code).toBe(42304);
    expect(t.emu.core.store.jobLevels.size).toBe(4);
  });

  it('refuses 10,001 levels with 42300', async () => {
    const store = t.emu.core.store;
    for (let i = store.jobLevels.size; i < 10_000; i++) store.jobLevels.set(`fill-${i}`, { job_level_id: `fill-${i}`, name: `fill-${i}`, description: '', order: 100000 - i, status: true, i18n_name: [], i18n_description: [] });
    const r = await answer(sdk().contact.jobLevel.create({ data: { name: 'one more', status: true, order: 150 } }));
    expect(r.body.code).toBe(42300);
  });

  it('needs a job-level write scope', async () => {
    const r = await answer(sdk(NARROW).contact.jobLevel.create({ data: { name: 'P9', status: true } }));
    expect(r.body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/job_levels', () => {
  it('lists the levels by order in pages, and by name', async () => {
    const first = await answer(sdk().contact.jobLevel.list({ params: { page_size: 3 } }));
    expect(first.body.data.items.map((l: any) => l.name)).toEqual(['P3', 'P5', 'M2']);
    expect(first.body.data.has_more).toBe(true);
    const rest = await answer(sdk().contact.jobLevel.list({ params: { page_size: 3, page_token: first.body.data.page_token } }));
    expect(rest.body.data.items.map((l: any) => l.name)).toEqual(['M4']);
    expect(rest.body.data.has_more).toBe(false);
    const named = await answer(sdk().contact.jobLevel.list({ params: { name: 'M2' } }));
    expect(named.body.data.items).toEqual([expect.objectContaining({ job_level_id: 'jl-m2', i18n_name: [{ locale: 'zh_cn', value: 'M2 经理' }, { locale: 'en_us', value: 'M2 Manager' }] })]);
    const bad = await answer(sdk().contact.jobLevel.list({ params: { page_token: 'not-a-token' } }));
    expect(bad.body.code).toBe(40012);
  });

  it('needs a job-level scope', async () => {
    expect((await answer(sdk(NARROW).contact.jobLevel.list({}))).body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/job_levels/:job_level_id', () => {
  it('returns a level, and 42301 for an unknown one', async () => {
    const r = await answer(sdk().contact.jobLevel.get({ path: { job_level_id: 'jl-p5' } }));
    expect(r.body.data.job_level).toMatchObject({ job_level_id: 'jl-p5', name: 'P5', order: 500, status: true });
    const none = await answer(sdk().contact.jobLevel.get({ path: { job_level_id: 'nope' } }));
    expect([none.status, none.body.code]).toEqual([404, 42301]);
  });
});

describe('PUT /open-apis/contact/v3/job_levels/:job_level_id', () => {
  it('changes the fields given and keeps the rest', async () => {
    const r = await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'jl-p3' }, data: { name: 'P3 Engineer', status: false } }));
    expect(r.body.data.job_level).toMatchObject({ name: 'P3 Engineer', status: false, order: 300 });
    const back = await answer(sdk().contact.jobLevel.get({ path: { job_level_id: 'jl-p3' } }));
    expect(back.body.data.job_level).toMatchObject({ name: 'P3 Engineer', status: false, description: 'Engineer: works on well-defined tasks' });
  });

  it("refuses another level's name or order, and an unknown level", async () => {
    expect((await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'jl-p3' }, data: { name: 'M4' } }))).body.code).toBe(42305);
    expect((await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'jl-p3' }, data: { order: 1000 } }))).body.code).toBe(42306);
    // Its own name and order are not a clash.
    expect((await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'jl-p3' }, data: { name: 'P3', order: 300 } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.jobLevel.update({ path: { job_level_id: 'nope' }, data: { name: 'X' } }))).body.code).toBe(42301);
  });
});

describe('DELETE /open-apis/contact/v3/job_levels/:job_level_id', () => {
  it('deletes a level, and the user who held it holds none', async () => {
    const alice = person('alice@example.com');
    const before = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(before.body.data.user.job_level_id).toBe('jl-p5');
    expect((await answer(sdk().contact.jobLevel.delete({ path: { job_level_id: 'jl-p5' } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.jobLevel.get({ path: { job_level_id: 'jl-p5' } }))).body.code).toBe(42301);
    const after = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(after.body.data.user.job_level_id).toBeUndefined();
    expect((await answer(sdk().contact.jobLevel.delete({ path: { job_level_id: 'jl-p5' } }))).body.code).toBe(42301);
  });
});

describe('POST /open-apis/contact/v3/job_families', () => {
  it('creates a family under a parent that reads back', async () => {
    const r = await answer(sdk().contact.jobFamily.create({ data: { name: 'Frontend', parent_job_family_id: 'jf-rd', status: true, description: 'Web and apps' } }));
    expect(r.body.code).toBe(0);
    const f = r.body.data.job_family;
    expect(f).toMatchObject({ name: 'Frontend', parent_job_family_id: 'jf-rd', status: true, description: 'Web and apps' });
    const back = await answer(sdk().contact.jobFamily.get({ path: { job_family_id: f.job_family_id } }));
    expect(back.body.data.job_family).toEqual(f);
  });

  it('refuses a repeated or bad name, an unknown or disabled parent', async () => {
    const create = (data: any) => answer(sdk().contact.jobFamily.create({ data: { status: true, ...data } }));
    const dup = await create({ name: 'Sales' });
    expect([dup.status, dup.body.code, dup.body.msg]).toEqual([400, 42406, expect.stringMatching(/^job family name duplicate/)]);
    expect((await create({ name: 'x'.repeat(101) })).body.code).toBe(42404);
    expect((await create({ name: 'Ok', description: 'd'.repeat(5001) })).body.code).toBe(42405);
    expect((await create({ name: 'Ok', parent_job_family_id: 'nope' })).body.code).toBe(42408);
    await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-sales' }, data: { status: false } }));
    expect((await create({ name: 'Inside sales', parent_job_family_id: 'jf-sales' })).body.code).toBe(42409);
  });

  it('needs a job-family write scope', async () => {
    expect((await answer(sdk(NARROW).contact.jobFamily.create({ data: { name: 'X', status: true } }))).body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/job_families', () => {
  it('lists the families in pages, and by name', async () => {
    const r = await answer(sdk().contact.jobFamily.list({ params: { page_size: 2 } }));
    expect(r.body.data.items.map((f: any) => f.job_family_id)).toEqual(['jf-rd', 'jf-backend']);
    expect(r.body.data.has_more).toBe(true);
    const all: string[] = [];
    for await (const page of await sdk().contact.jobFamily.listWithIterator({ params: { page_size: 2 } })) all.push(...(page?.items ?? []).map((f) => f.name!));
    expect(all).toEqual(['R&D', 'Backend', 'Product', 'Sales', 'Management']);
    const named = await answer(sdk().contact.jobFamily.list({ params: { name: 'Backend' } }));
    expect(named.body.data.items).toEqual([expect.objectContaining({ job_family_id: 'jf-backend', parent_job_family_id: 'jf-rd' })]);
  });
});

describe('GET /open-apis/contact/v3/job_families/:job_family_id', () => {
  it('returns a family, and 42402 for an unknown one', async () => {
    expect((await answer(sdk().contact.jobFamily.get({ path: { job_family_id: 'jf-product' } }))).body.data.job_family.name).toBe('Product');
    const none = await answer(sdk().contact.jobFamily.get({ path: { job_family_id: 'nope' } }));
    expect([none.status, none.body.code]).toEqual([404, 42402]);
  });
});

describe('PUT /open-apis/contact/v3/job_families/:job_family_id', () => {
  it('moves a family under another and refuses a loop', async () => {
    const r = await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-product' }, data: { parent_job_family_id: 'jf-rd', name: 'Product & Design' } }));
    expect(r.body.data.job_family).toMatchObject({ parent_job_family_id: 'jf-rd', name: 'Product & Design' });
    expect((await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-rd' }, data: { parent_job_family_id: 'jf-backend' } }))).body.code).toBe(42407);
    expect((await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-rd' }, data: { parent_job_family_id: 'jf-rd' } }))).body.code).toBe(42407);
    expect((await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'jf-rd' }, data: { name: 'Backend' } }))).body.code).toBe(42406);
    expect((await answer(sdk().contact.jobFamily.update({ path: { job_family_id: 'nope' }, data: { name: 'Z' } }))).body.code).toBe(42402);
  });
});

describe('DELETE /open-apis/contact/v3/job_families/:job_family_id', () => {
  it('refuses a family with families below it, then deletes it once they are gone', async () => {
    const refused = await answer(sdk().contact.jobFamily.delete({ path: { job_family_id: 'jf-rd' } }));
    expect([refused.status, refused.body.code]).toEqual([400, 42411]);
    expect((await answer(sdk().contact.jobFamily.delete({ path: { job_family_id: 'jf-backend' } }))).body.code).toBe(0);
    expect(t.emu.core.store.findUser('email', 'alice@example.com')!.job_family_id).toBe('');
    expect((await answer(sdk().contact.jobFamily.delete({ path: { job_family_id: 'jf-rd' } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.jobFamily.get({ path: { job_family_id: 'jf-rd' } }))).body.code).toBe(42402);
  });
});

describe('GET /open-apis/contact/v3/job_titles', () => {
  it("lists the tenant's job titles, whose names are the users' job_title", async () => {
    const r = await answer(sdk().contact.jobTitle.list({ params: { page_size: 50 } }));
    expect(r.body.data.items).toContainEqual({ job_title_id: 'jt-senior-engineer', name: 'Senior Engineer', status: true, i18n_name: [{ locale: 'zh_cn', value: '高级工程师' }, { locale: 'en_us', value: 'Senior Engineer' }] });
    const alice = await answer(sdk().contact.user.get({ path: { user_id: person('alice@example.com').open_id } }));
    expect(r.body.data.items.map((x: any) => x.name)).toContain(alice.body.data.user.job_title);
    expect((await answer(sdk(NARROW).contact.jobTitle.list({}))).body.code).toBe(99991672);
  });
});

describe('GET /open-apis/contact/v3/job_titles/:job_title_id', () => {
  it('returns a job title, and names the id it does not know', async () => {
    expect((await answer(sdk().contact.jobTitle.get({ path: { job_title_id: 'jt-ceo' } }))).body.data.job_title.name).toBe('Chief Executive Officer');
    const none = await answer(sdk().contact.jobTitle.get({ path: { job_title_id: 'nope' } }));
    expect(none.body.code).toBe(99992402);
    expect(none.body.error.field_violations[0]).toMatchObject({ field: 'job_title_id', value: 'nope' });
  });
});

describe("a user's job level and family (GET /open-apis/contact/v3/users/:user_id)", () => {
  it('shows them only with their field scopes, naming entries that exist', async () => {
    const alice = person('alice@example.com');
    const all = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(all.body.data.user).toMatchObject({ job_level_id: 'jl-p5', job_family_id: 'jf-backend', job_title: 'Senior Engineer', city: 'Shanghai' });
    expect((await answer(sdk().contact.jobLevel.get({ path: { job_level_id: all.body.data.user.job_level_id } }))).body.code).toBe(0);
    expect((await answer(sdk().contact.jobFamily.get({ path: { job_family_id: all.body.data.user.job_family_id } }))).body.code).toBe(0);
    const seed = loadDefaultSeed();
    seed.apps[0]!.scopes = ['contact:user.base:readonly', 'contact:user.job_level:readonly'];
    await t.restart({ seed });
    const some = await answer(sdk().contact.user.get({ path: { user_id: alice.open_id } }));
    expect(some.body.data.user.job_level_id).toBe('jl-p5');
    expect(some.body.data.user.job_family_id).toBeUndefined();
  });
});
