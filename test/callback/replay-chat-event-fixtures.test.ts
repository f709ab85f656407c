import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { botAdded, botDeleted, chatDisbanded, chatUpdated, membersChanged, p2pChatEntered } from '../../src/callback/chat-events.js';
import { Sandbox } from '../helpers/cli.js';
import { replayReceiverForFile } from '../helpers/event-bots.js';

/**
 * The shipped fixtures of a chat's life: replay-callback sends them, signed and encrypted, and the
 * official SDK's dispatcher hands each to its typed handler; each has the fields the emulator's
 * builder gives the event it fires.
 */
const FIXTURES = {
  'bot-added': 'im.chat.member.bot.added_v1',
  'bot-deleted': 'im.chat.member.bot.deleted_v1',
  'user-added': 'im.chat.member.user.added_v1',
  'user-deleted': 'im.chat.member.user.deleted_v1',
  'user-withdrawn': 'im.chat.member.user.withdrawn_v1',
  'chat-updated': 'im.chat.updated_v1',
  'chat-disbanded': 'im.chat.disbanded_v1',
  'p2p-chat-entered': 'im.chat.access_event.bot_p2p_chat_entered_v1',
} as const;
const receiver = replayReceiverForFile(Object.fromEntries(Object.values(FIXTURES).map((k) => [k, k])));
const got = receiver.got;
const sb = new Sandbox();
afterAll(() => sb.cleanup());

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8')).payload;
/** Every key path of a value, arrays by their first item. */
const shape = (v: unknown, at = ''): string[] =>
  Array.isArray(v) ? shape(v[0], `${at}[]`) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...shape(x, `${at}.${k}`)]) : [];

describe(`replay-callback ${Object.keys(FIXTURES).join(' ')}`, () => {
  it('each reaches its typed handler in the official SDK', async () => {
    const r = await sb.run(['replay-callback', ...Object.keys(FIXTURES), ...receiver.args()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(got.map((g) => g.kind).sort()).toEqual(Object.values(FIXTURES).sort());
    const of = (kind: string) => got.find((g) => g.kind === kind)!.data;
    expect(of('im.chat.member.user.added_v1').users[0].user_id.open_id).toMatch(/^ou_/);
    expect(of('im.chat.updated_v1')).toMatchObject({ after_change: { name: 'Card Playground v2' }, before_change: { name: 'Card Playground' } });
    expect(of('im.chat.access_event.bot_p2p_chat_entered_v1').operator_id.open_id).toMatch(/^ou_/);
  });

  it('card fixtures list shows each of them as an event', async () => {
    const list = await sb.run(['fixtures', 'list', '--json']);
    const events = list.json.data.fixtures.filter((f: any) => f.format === 'event').map((f: any) => f.name);
    expect(events).toEqual(expect.arrayContaining(Object.keys(FIXTURES)));
  });

  it("each has the fields of the event the emulator fires", () => {
    const p = { app_id: 'cli_x', tenant_key: 't', now: 0 };
    const ids = { open_id: 'ou_a', union_id: 'on_a', user_id: 'a' };
    const chat = { chat_id: 'oc_x', operator: ids, name: 'n' };
    const users = [{ name: 'B', ids }];
    const built: Record<keyof typeof FIXTURES, Record<string, unknown>> = {
      'bot-added': botAdded(p, chat),
      'bot-deleted': botDeleted(p, chat),
      'user-added': membersChanged(p, 'added', { ...chat, users }),
      'user-deleted': membersChanged(p, 'deleted', { ...chat, users }),
      'user-withdrawn': membersChanged(p, 'withdrawn', { ...chat, users }),
      'chat-updated': chatUpdated(p, { chat_id: 'oc_x', operator: ids, after: { name: 'b' }, before: { name: 'a' } }),
      'chat-disbanded': chatDisbanded(p, chat),
      'p2p-chat-entered': p2pChatEntered(p, { chat_id: 'oc_x', operator: ids, last_message_id: '', last_message_create_time: '' }),
    };
    for (const name of Object.keys(FIXTURES) as Array<keyof typeof FIXTURES>) expect([name, shape(shipped(name))]).toEqual([name, shape(built[name])]);
  });
});
