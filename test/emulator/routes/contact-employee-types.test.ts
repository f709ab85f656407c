import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

/** The default company: built-in types 1-5, custom 6 (专家, active) and 7 (退休返聘, inactive). */
const { t, sdk } = sdkForFile();
const NARROW = 1;

async function all() {
  const r = await answer(sdk().contact.employeeTypeEnum.list({ params: { page_size: 100 } }));
  expect(r.body.code).toBe(0);
  return r.body.data.items as Array<{ enum_id: string; enum_value: string; content: string; enum_type: number; enum_status: number; i18n_content: unknown[] }>;
}
const byValue = async (value: string) => (await all()).find((e) => e.enum_value === value)!;

describe('GET /open-apis/contact/v3/employee_type_enums', () => {
  it('lists the built-in types, then the custom ones, page by page', async () => {
    const items = await all();
    expect(items.map((e) => [e.enum_value, e.content, e.enum_type, e.enum_status])).toEqual([
      ['1', '正式', 1, 1],
      ['2', '实习', 1, 1],
      ['3', '外包', 1, 1],
      ['4', '劳务', 1, 1],
      ['5', '顾问', 1, 1],
      ['6', '专家', 2, 1],
      ['7', '退休返聘', 2, 2],
    ]);
    expect(items[5]!.i18n_content).toEqual([
      { locale: 'zh_cn', value: '专家' },
      { locale: 'en_us', value: 'Expert' },
    ]);
    const first = await answer(sdk().contact.employeeTypeEnum.list({ params: { page_size: 5 } }));
    expect(first.body.data).toMatchObject({ has_more: true, page_token: '5' });
    const rest = await answer(sdk().contact.employeeTypeEnum.list({ params: { page_size: 5, page_token: first.body.data.page_token } }));
    expect(rest.body.data.items.map((e: { enum_value: string }) => e.enum_value)).toEqual(['6', '7']);
    expect(rest.body.data.has_more).toBe(false);
  });

  it('refuses a forged page token and an app without a contact scope', async () => {
    expect((await answer(sdk().contact.employeeTypeEnum.list({ params: { page_token: 'x' } }))).body.code).toBe(40012);
    expect((await answer(sdk(NARROW).contact.employeeTypeEnum.list({}))).body.code).toBe(99991672);
  });
});

describe('POST /open-apis/contact/v3/employee_type_enums', () => {
  it('adds a custom type with the next value, read back in the list', async () => {
    const r = await answer(sdk().contact.employeeTypeEnum.create({ data: { content: '实习生导师', enum_type: 2, enum_status: 1, i18n_content: [{ locale: 'en_us', value: 'Intern mentor' }] } }));
    expect(r.body.data.employee_type_enum).toMatchObject({ enum_value: '8', content: '实习生导师', enum_type: 2, enum_status: 1, i18n_content: [{ locale: 'en_us', value: 'Intern mentor' }] });
    expect(await byValue('8')).toEqual(r.body.data.employee_type_enum);
  });

  it('refuses taken content (42301), a translation another type has (42302), a built-in enum_type and an unknown status', async () => {
    const create = async (data: Record<string, unknown>) => (await answer(sdk().contact.employeeTypeEnum.create({ data: data as any }))).body;
    expect(await create({ content: '外包', enum_type: 2, enum_status: 1 })).toMatchObject({ code: 42301, msg: expect.stringMatching(/^param content duplicate/) });
    expect((await create({ content: 'New', enum_type: 2, enum_status: 1, i18n_content: [{ locale: 'en_us', value: 'Expert' }] })).code).toBe(42302);
    expect((await create({ content: 'New', enum_type: 2, enum_status: 1, i18n_content: [{ locale: 'en_us', value: 'A' }, { locale: 'en_us', value: 'B' }] })).code).toBe(42302);
    expect((await create({ content: 'New', enum_type: 1, enum_status: 1 })).code).toBe(40001);
    expect((await create({ content: 'New', enum_type: 2, enum_status: 3 })).code).toBe(40001);
    expect((await create({ content: '', enum_type: 2, enum_status: 1 })).code).toBe(99992402);
    expect((await answer(sdk(NARROW).contact.employeeTypeEnum.create({ data: { content: 'New', enum_type: 2, enum_status: 1 } }))).body.code).toBe(99991672);
    expect(await all()).toHaveLength(7);
  });

  it('stops at 255 custom types ever made, deleted ones included', async () => {
    t.emu.core.store.customEmployeeTypesMade = 255;
    const r = await answer(sdk().contact.employeeTypeEnum.create({ data: { content: 'One more', enum_type: 2, enum_status: 1 } }));
    expect(r.body).toMatchObject({ code: 40001, msg: expect.stringContaining('at most 255') });
  });
});

describe('PUT /open-apis/contact/v3/employee_type_enums/:enum_id', () => {
  it('changes a custom type, keeping its value', async () => {
    const inactive = await byValue('7');
    const r = await answer(sdk().contact.employeeTypeEnum.update({ path: { enum_id: inactive.enum_id }, data: { content: '返聘顾问', enum_type: 2, enum_status: 1 } }));
    expect(r.body.data.employee_type_enum).toMatchObject({ enum_id: inactive.enum_id, enum_value: '7', content: '返聘顾问', enum_status: 1, i18n_content: [] });
    expect(await byValue('7')).toMatchObject({ content: '返聘顾问', enum_status: 1 });
  });

  it('refuses a built-in type, an unknown one, and content another type has', async () => {
    const regular = await byValue('1');
    const builtIn = await answer(sdk().contact.employeeTypeEnum.update({ path: { enum_id: regular.enum_id }, data: { content: 'Full time', enum_type: 2, enum_status: 1 } }));
    expect(builtIn.body).toMatchObject({ code: 40001, msg: expect.stringContaining('built in') });
    expect((await answer(sdk().contact.employeeTypeEnum.update({ path: { enum_id: 'nope' }, data: { content: 'X', enum_type: 2, enum_status: 1 } }))).body.code).toBe(40001);
    const expert = await byValue('6');
    expect((await answer(sdk().contact.employeeTypeEnum.update({ path: { enum_id: expert.enum_id }, data: { content: '正式', enum_type: 2, enum_status: 1 } }))).body.code).toBe(42301);
    expect((await byValue('1')).content).toBe('正式');
  });
});

describe('DELETE /open-apis/contact/v3/employee_type_enums/:enum_id', () => {
  it('deletes a custom type no one has; its value is not given again', async () => {
    const retired = await byValue('7');
    expect((await answer(sdk().contact.employeeTypeEnum.delete({ path: { enum_id: retired.enum_id } }))).body.code).toBe(0);
    expect((await all()).map((e) => e.enum_value)).toEqual(['1', '2', '3', '4', '5', '6']);
    const next = await answer(sdk().contact.employeeTypeEnum.create({ data: { content: 'Fellow', enum_type: 2, enum_status: 1 } }));
    expect(next.body.data.employee_type_enum.enum_value).toBe('8');
  });

  it('refuses a built-in type; one a user has goes, and they become regular', async () => {
    const outsourcing = await byValue('3');
    expect((await answer(sdk().contact.employeeTypeEnum.delete({ path: { enum_id: outsourcing.enum_id } }))).body.code).toBe(40001);
    const expert = await byValue('6');
    const alice = t.emu.core.store.users.find((u) => u.email === 'alice@example.com')!;
    alice.employee_type = 6;
    const held = await answer(sdk().contact.employeeTypeEnum.delete({ path: { enum_id: expert.enum_id } }));
    expect(held.body.code).toBe(0);
    expect(alice.employee_type).toBe(1);
    expect(await all()).toHaveLength(6);
  });
});
