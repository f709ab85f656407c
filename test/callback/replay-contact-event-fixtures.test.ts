import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { replayReceiverForFile } from '../helpers/event-bots.js';

/**
 * The shipped fixtures of the directory's events: `card fixtures` lists them, replay-callback
 * sends them signed and encrypted, and the official SDK's dispatcher hands each to its typed handler.
 */
const NAMES = ['contact-user-created', 'contact-user-updated', 'contact-user-deleted', 'contact-department-created', 'contact-department-updated', 'contact-department-deleted'];
const receiver = replayReceiverForFile(Object.fromEntries(['user.created', 'user.updated', 'user.deleted', 'department.created', 'department.updated', 'department.deleted'].map((k) => [`contact.${k}_v3`, k])));
const got = receiver.got;
const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('replay-callback contact-user-created contact-user-updated contact-user-deleted contact-department-created contact-department-updated contact-department-deleted', () => {
  it('card fixtures lists each as an event', async () => {
    const list = await sb.run(['fixtures', 'list', '--json']);
    const fixtures = list.json.data.fixtures.filter((f: any) => NAMES.includes(f.name));
    expect(fixtures.map((f: any) => f.name).sort()).toEqual([...NAMES].sort());
    expect(fixtures.every((f: any) => f.format === 'event')).toBe(true);
  });

  it('each reaches its typed handler in the official SDK with the fields the platform sends', async () => {
    const r = await sb.run(['replay-callback', ...NAMES, ...receiver.args()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // replay-callback sends them side by side: they arrive in any order.
    expect(got.map((g) => g.kind).sort()).toEqual(['department.created', 'department.deleted', 'department.updated', 'user.created', 'user.deleted', 'user.updated']);
    const of = (kind: string) => got.find((g) => g.kind === kind)!.data;
    expect(of('user.created').object).toMatchObject({ name: 'Erin Wu', status: { is_resigned: false } });
    expect(of('user.created').object.open_id).toMatch(/^ou_/);
    expect(of('user.updated')).toMatchObject({ object: { name: 'Alice Zhang', job_title: 'Staff Engineer' }, old_object: { job_title: 'Senior Engineer' } });
    expect(of('user.deleted').object.status.is_resigned).toBe(true);
    expect(of('user.deleted').old_object.department_ids[0]).toMatch(/^od-/);
    expect(of('department.created').object).toMatchObject({ name: 'Infra', department_id: 'infra', status: { is_deleted: false } });
    expect(of('department.updated')).toMatchObject({ object: { name: 'Infrastructure' }, old_object: { name: 'Infra' } });
    expect(of('department.deleted')).toMatchObject({ object: { status: { is_deleted: true } }, old_object: { status: { is_deleted: false } } });
  });
});
