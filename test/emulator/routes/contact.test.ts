import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

describe('POST /open-apis/contact/v3/users/batch_get_id', () => {
  it('finds users by mobile and email in the id type asked for, and echoes unknown entries without an id', async () => {
    const [alice] = t.users;
    const r = await answer(
      sdk().contact.user.batchGetId({ params: { user_id_type: 'union_id' }, data: { emails: [alice!.email!, 'nobody@example.invalid'], mobiles: ['+8613800000000'] } }),
    );
    expect(r.status).toBe(200);
    const list = r.body.data.user_list as Array<Record<string, unknown>>;
    expect(list.find((e) => e.email === alice!.email)?.user_id).toBe(alice!.union_id);
    expect(list.find((e) => e.email === 'nobody@example.invalid')).toEqual({ email: 'nobody@example.invalid' });
  });

  it('refuses more than 50 emails and an unknown id type with the field named', async () => {
    const many = await answer(sdk().contact.user.batchGetId({ data: { emails: Array.from({ length: 51 }, (_, i) => `u${i}@example.invalid`) } }));
    expect(many.body.code).toBe(99992402);
    expect(many.body.error.field_violations[0].field).toBe('emails');
    const type = await answer(sdk().contact.user.batchGetId({ params: { user_id_type: 'employee_id' as any }, data: { emails: ['a@example.invalid'] } }));
    expect(type.body.code).toBe(99992402);
    expect(type.body.error.field_violations[0]).toMatchObject({ field: 'user_id_type', description: expect.stringContaining('open_id, union_id, user_id') });
  });

  it('reads a body field of the wrong JSON type as the platform does (9499 naming it)', async () => {
    const r = await t.call('POST', '/open-apis/contact/v3/users/batch_get_id', { emails: 'a@example.invalid' }, await t.token());
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 9499, msg: expect.stringContaining('emails') });
  });
});
