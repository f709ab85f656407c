import { describe, expect, it } from 'vitest';
import type { TestEmulator } from '../../src/testing/index.js';
import { eventBots, sdkOf, seededApp as seeded, seedFor as seedOwnAppId } from '../helpers/event-bots.js';

/**
 * The directory's events: each write through the official SDK causes its contact.*_v3 event, which
 * arrives parsed in the SDK's typed handler, over the webhook (signed and encrypted) and over the
 * long connection, at every app whose contact range covers the user or department.
 */
const KINDS = ['contact.user.created_v3', 'contact.user.updated_v3', 'contact.user.deleted_v3', 'contact.department.created_v3', 'contact.department.updated_v3', 'contact.department.deleted_v3'] as const;
const RANGED_APP = 'cli_range0000000c03';

const bots = eventBots();

/**
 * Its own app id per test (the SDK caches tenant tokens per app id for the whole process) and,
 * with `ranged`, a second app that sees only Product, with the same keys so one bot hears both.
 */
function seedFor(appId: string, ranged: boolean) {
  return seedOwnAppId(appId, (seed) => {
    if (ranged) seed.apps.push({ app_id: RANGED_APP, app_secret: 'emu-range-secret-not-real', name: 'Product Bot', encrypt_key: seeded.encrypt_key, verification_token: seeded.verification_token, contact_range: { departments: ['product'] } });
  });
}

type Got = Array<{ kind: string; data: any }>;

function handlersInto(got: Got, gate?: Promise<void>): Record<string, (data: any) => unknown> {
  return Object.fromEntries(KINDS.map((k) => [k, async (data: any) => {
    got.push({ kind: k, data });
    await gate;
    return {};
  }]));
}

/** Each write and the event it causes, checked in what the typed handlers were given. */
async function everyWrite(e: TestEmulator, got: Got, transport: 'webhook' | 'long_connection', ranged: boolean) {
  const client = sdkOf(e);
  const appId = e.app().appId;
  const bob = e.user('bob@example.com');
  const BY_ID = { department_id_type: 'department_id' } as const;
  const productOpen = (await client.contact.department.get({ path: { department_id: 'product' }, params: BY_ID })).data!.department!.open_department_id!;
  const fresh = () => got.splice(0);
  const forApp = (list: Got, id: string) => list.filter((g) => g.data.app_id === id);

  // A user joins Product: both apps see Product, so both hear of it.
  const made = await client.contact.user.create({ params: BY_ID, data: { name: 'Erin Wu', mobile: '+8613800000011', email: 'erin@example.com', department_ids: ['product'], employee_type: 1, leader_user_id: bob.openId } });
  const erin = made.data!.user!.open_id!;
  await e.idle();
  let events = fresh();
  expect(forApp(events, appId)).toMatchObject([{ kind: 'contact.user.created_v3', data: { event_type: 'contact.user.created_v3', object: { open_id: erin, name: 'Erin Wu', department_ids: [productOpen], leader_user_id: bob.openId, mobile: '+8613800000011' } } }]);
  if (ranged) expect(forApp(events, RANGED_APP)).toMatchObject([{ kind: 'contact.user.created_v3', data: { object: { open_id: erin } } }]);

  // A change: the old values of what changed, and a new mobile in an event of its own.
  await client.contact.user.patch({ path: { user_id: erin }, data: { job_title: 'Designer', city: 'Hangzhou', mobile: '+8613800000012' } });
  await e.idle();
  events = forApp(fresh(), appId);
  expect(events.map((g) => g.kind)).toEqual(['contact.user.updated_v3', 'contact.user.updated_v3']);
  expect(events[0]!.data).toMatchObject({ object: { open_id: erin, job_title: 'Designer', city: 'Hangzhou' }, old_object: { job_title: '', city: '' } });
  expect(events[0]!.data.old_object.mobile).toBeUndefined();
  expect(events[1]!.data).toMatchObject({ object: { mobile: '+8613800000012' }, old_object: { mobile: '+8613800000011' } });

  await client.contact.user.updateUserId({ path: { user_id: erin }, data: { new_user_id: 'erin.wu' } });
  await e.idle();
  expect(forApp(fresh(), appId)).toMatchObject([{ kind: 'contact.user.updated_v3', data: { object: { user_id: 'erin.wu' }, old_object: { user_id: expect.stringMatching(/^[0-9a-f]{8}$/) } } }]);

  await client.contact.user.delete({ path: { user_id: erin } });
  await e.idle();
  events = fresh();
  expect(forApp(events, appId)).toMatchObject([{ kind: 'contact.user.deleted_v3', data: { object: { open_id: erin, status: { is_resigned: true }, department_ids: [] }, old_object: { open_id: erin, department_ids: [productOpen] } } }]);
  if (ranged) expect(forApp(events, RANGED_APP)).toHaveLength(1);

  // A department under Engineering (after Platform, order 10): only the app that sees the whole organisation hears of it.
  const dept = await client.contact.department.create({ params: BY_ID, data: { name: 'Infra', parent_department_id: 'engineering', department_id: 'infra', leader_user_id: bob.openId } });
  const infra = dept.data!.department!.open_department_id!;
  await e.idle();
  events = fresh();
  expect(events).toMatchObject([{ kind: 'contact.department.created_v3', data: { app_id: appId, object: { name: 'Infra', department_id: 'infra', open_department_id: infra, leader_user_id: bob.openId, order: 11, status: { is_deleted: false }, leaders: [{ leaderType: 1, leaderID: bob.openId }] } } }]);

  // Moved under Product, it comes into the second app's range: both hear of the change.
  await client.contact.department.patch({ params: BY_ID, path: { department_id: 'infra' }, data: { name: 'Infrastructure', parent_department_id: 'product' } });
  await e.idle();
  events = fresh();
  expect(forApp(events, appId)).toMatchObject([{ kind: 'contact.department.updated_v3', data: { object: { name: 'Infrastructure', parent_department_id: productOpen }, old_object: { name: 'Infra' } } }]);
  if (ranged) expect(forApp(events, RANGED_APP)).toMatchObject([{ kind: 'contact.department.updated_v3', data: { old_object: { name: 'Infra' } } }]);

  await client.contact.department.delete({ params: BY_ID, path: { department_id: 'infra' } });
  await e.idle();
  expect(forApp(fresh(), appId)).toMatchObject([{ kind: 'contact.department.deleted_v3', data: { object: { open_department_id: infra, status: { is_deleted: true } }, old_object: { open_department_id: infra, status: { is_deleted: false } } } }]);

  const log = e.deliveries({ category: 'event' });
  expect(log.length).toBeGreaterThan(0);
  expect(log.every((d) => d.transport === transport && d.verdict === 'ok')).toBe(true);
  // The app without a directory scope hears nothing.
  expect(log.some((d) => d.app_id === 'cli_b0e1d2c3b4a59688')).toBe(false);
}

describe('contact events to an EventDispatcher on a webhook', () => {
  it('user created/updated/deleted and department created/updated/deleted reach the typed handlers of every app whose range covers them', async () => {
    const got: Got = [];
    const emu = await bots.webhookBot(handlersInto(got), { seed: seedFor('cli_a1b2c3d4e5f60c01', true) });
    await everyWrite(emu, got, 'webhook', true);
  });

  it('the API answers before the bot has answered its event', async () => {
    const got: Got = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const emu = await bots.webhookBot(handlersInto(got, gate), { seed: seedFor('cli_a1b2c3d4e5f60c02', false) });
    const made = await sdkOf(emu).contact.department.create({ params: { department_id_type: 'department_id' }, data: { name: 'Infra', parent_department_id: 'engineering' } });
    expect(made.code).toBe(0);
    // The answer came while the handler still holds the event: nothing is logged as answered yet.
    expect(emu.deliveries({ category: 'event' })).toEqual([]);
    release();
    await emu.idle();
    expect(got.map((g) => g.kind)).toEqual(['contact.department.created_v3']);
    expect(emu.deliveries({ category: 'event' })).toMatchObject([{ kind: 'contact.department.created_v3', verdict: 'ok' }]);
  });
});

describe('contact events to a WSClient on the long connection', () => {
  it('user created/updated/deleted and department created/updated/deleted reach the typed handlers', async () => {
    const got: Got = [];
    const emu = await bots.wsBot(handlersInto(got), { seed: seedFor('cli_a1b2c3d4e5f60c11', false) });
    await everyWrite(emu, got, 'long_connection', false);
  });
});
