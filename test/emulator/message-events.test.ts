import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { BotFailureError, type TestEmulator } from '../../src/testing/index.js';
import { control, eventBots, MESSAGE_EVENT_KINDS, recordingHandlers, type Got, sdkOf, seedFor } from '../helpers/event-bots.js';

/**
 * The events a message's life causes: a reaction added or taken back, a read, a recall. Each is
 * caused by the control API, by the testing library's user, and (reactions, recalls) by the
 * bot's own API call, and arrives parsed in the official SDK's typed handler, over the webhook
 * (signed and encrypted) and over the long connection.
 */
const KINDS = MESSAGE_EVENT_KINDS;
const bots = eventBots();

const handlersInto = (got: Got, failing: string[] = []) => recordingHandlers(KINDS, got, failing);

async function withWebhookBot(appId: string, failing: string[] = []): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.webhookBot(handlersInto(got, failing), { seed: seedFor(appId) }), got };
}

async function withWsBot(appId: string, failing: string[] = []): Promise<{ emu: TestEmulator; got: Got }> {
  const got: Got = [];
  return { emu: await bots.wsBot(handlersInto(got, failing), { seed: seedFor(appId) }), got };
}

async function botSends(client: lark.Client, text: string, to = 'alice@example.com'): Promise<string> {
  const r = await client.im.message.create({ params: { receive_id_type: 'email' }, data: { receive_id: to, msg_type: 'text', content: JSON.stringify({ text }) } });
  return r.data!.message_id!;
}

/** Every cause of the four events, checked against what the SDK's handlers were given. */
async function everyCause(e: TestEmulator, got: Got, transport: 'webhook' | 'long_connection') {
  const client = sdkOf(e);
  const appId = e.app().appId;
  const alice = e.user('alice@example.com');
  const aliceIds = { open_id: alice.openId };

  // The testing library: react, unreact, read.
  const first = await botSends(client, 'your expense was approved');
  const reaction = await alice.react(first, 'THUMBSUP');
  expect(reaction).toMatchObject({ messageId: first, emojiType: 'THUMBSUP', operatorType: 'user', operatorId: alice.openId });
  expect(got.at(-1)!.kind).toBe('im.message.reaction.created_v1');
  expect(got.at(-1)!.data).toMatchObject({ event_type: 'im.message.reaction.created_v1', app_id: appId, message_id: first, reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user', user_id: aliceIds });
  expect(Number(got.at(-1)!.data.action_time)).toBe(reaction.actionTime);
  // The same emoji again is the reaction already there: no second event.
  expect((await alice.react(first, 'THUMBSUP')).reactionId).toBe(reaction.reactionId);
  expect(got).toHaveLength(1);
  await alice.unreact(reaction);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.reaction.deleted_v1', data: { message_id: first, reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user', user_id: aliceIds } });
  await alice.read(first);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.message_read_v1', data: { reader: { reader_id: aliceIds }, message_id_list: [first] } });
  // Only the first read is reported.
  await alice.read(first);
  expect(got).toHaveLength(3);

  // The control API: the same actions, and a recall.
  const second = await botSends(client, 'your trip was booked');
  const added = await control(e, 'POST', `/_emulator/users/${alice.openId}/reactions`, { message_id: second, emoji_type: 'DONE' });
  expect(added.code).toBe(0);
  expect(added.data.deliveries).toMatchObject([{ kind: 'im.message.reaction.created_v1', transport, verdict: 'ok' }]);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.reaction.created_v1', data: { message_id: second, reaction_type: { emoji_type: 'DONE' }, user_id: aliceIds } });
  const removed = await control(e, 'DELETE', `/_emulator/users/${alice.openId}/reactions/${added.data.reaction.reaction_id}`);
  expect(removed.data.deliveries).toMatchObject([{ kind: 'im.message.reaction.deleted_v1', verdict: 'ok' }]);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.reaction.deleted_v1', data: { message_id: second, reaction_type: { emoji_type: 'DONE' } } });
  const read = await control(e, 'POST', `/_emulator/messages/${second}/read`, { open_id: alice.openId });
  expect(read.data.deliveries).toMatchObject([{ kind: 'im.message.message_read_v1', verdict: 'ok' }]);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.message_read_v1', data: { message_id_list: [second], reader: { reader_id: aliceIds } } });
  const recalled = await control(e, 'POST', `/_emulator/messages/${second}/recall`);
  expect(recalled.data.deliveries).toMatchObject([{ kind: 'im.message.recalled_v1', verdict: 'ok' }]);
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.recalled_v1', data: { message_id: second, recall_type: 'message_owner' } });
  expect(got.at(-1)!.data.chat_id).toMatch(/^oc_/);

  // The bot's own API calls: its reaction (reported with its app_id) and its recall.
  const third = await botSends(client, 'your report is due');
  const own = await client.im.messageReaction.create({ path: { message_id: third }, data: { reaction_type: { emoji_type: 'OK' } } });
  await e.idle();
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.reaction.created_v1', data: { message_id: third, operator_type: 'app', app_id: appId, reaction_type: { emoji_type: 'OK' } } });
  await client.im.messageReaction.delete({ path: { message_id: third, reaction_id: own.data!.reaction_id! } });
  await e.idle();
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.reaction.deleted_v1', data: { message_id: third, operator_type: 'app' } });
  await client.im.message.delete({ path: { message_id: third } });
  await e.idle();
  expect(got.at(-1)!).toMatchObject({ kind: 'im.message.recalled_v1', data: { message_id: third, recall_type: 'message_owner' } });
  expect(e.deliveries({ category: 'event' }).every((d) => d.transport === transport && d.verdict === 'ok')).toBe(true);
}

describe('message events to an EventDispatcher on a webhook', () => {
  it('reaction created/deleted, read and recalled reach the typed handlers, from the control API, the testing library and the API', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60a01');
    await everyCause(e, got, 'webhook');
  });

  it('a group message: every bot in the chat hears of a reaction, and nobody of a read', async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60a02');
    const bob = e.user('bob@example.com');
    const alice = e.user('alice@example.com');
    const chats = await sdkOf(e).im.chat.list({});
    const group = chats.data!.items!.find((c) => !!c.chat_id)!.chat_id!;
    const said = await alice.sendText(group, 'lunch?', { mention: true });
    got.length = 0;
    await bob.react(said, 'EatingFood');
    expect(got).toMatchObject([{ kind: 'im.message.reaction.created_v1', data: { message_id: said.messageId, user_id: { open_id: bob.openId } } }]);
    await bob.read(said);
    expect(got).toHaveLength(1);
  });

  it("the bot recalls a person's message in a group it owns (group_owner), and a batch's copies (message_owner)", async () => {
    const { emu: e, got } = await withWebhookBot('cli_a1b2c3d4e5f60a04');
    const client = sdkOf(e);
    const alice = e.user('alice@example.com');
    const made = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: 'Expenses', user_id_list: [alice.openId] } });
    const group = made.data!.chat_id!;
    const said = await alice.sendText(group, 'lunch?', { mention: true });
    await client.im.message.delete({ path: { message_id: said.messageId } });
    await e.idle();
    expect(got.at(-1)!).toMatchObject({ kind: 'im.message.recalled_v1', data: { message_id: said.messageId, chat_id: group, recall_type: 'group_owner' } });

    got.length = 0;
    const batch = await client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send', data: { msg_type: 'text', content: { text: 'all hands' }, open_ids: [alice.openId] } }) as any;
    const batchId = batch.data.message_id as string;
    await client.request({ method: 'DELETE', url: `/open-apis/im/v1/batch_messages/${batchId}` });
    await e.idle();
    expect(got).toMatchObject([{ kind: 'im.message.recalled_v1', data: { recall_type: 'message_owner' } }]);
  });

  it('a handler that fails makes react, unreact and read reject with BotFailureError', async () => {
    const { emu: e } = await withWebhookBot('cli_a1b2c3d4e5f60a03', [...KINDS]);
    const id = await botSends(sdkOf(e), 'hello');
    const alice = e.user('alice@example.com');
    const reacted = await alice.react(id, 'THUMBSUP').catch((x) => x);
    expect(reacted).toBeInstanceOf(BotFailureError);
    expect(reacted.message).toContain('im.message.reaction.created_v1');
    expect(reacted.message).toContain('reaction.created_v1 handler is down');
    const unreacted = await alice.unreact(id, 'THUMBSUP').catch((x) => x);
    expect(unreacted).toBeInstanceOf(BotFailureError);
    expect(unreacted.deliveries[0]).toMatchObject({ kind: 'im.message.reaction.deleted_v1', verdict: 'failed' });
    const read = await alice.read(id).catch((x) => x);
    expect(read).toBeInstanceOf(BotFailureError);
    expect(read.deliveries[0]).toMatchObject({ kind: 'im.message.message_read_v1', verdict: 'failed', answer: { status: 500 } });
  });
});

describe('message events to a WSClient on the long connection', () => {
  it('reaction created/deleted, read and recalled reach the typed handlers, from the control API, the testing library and the API', async () => {
    const { emu: e, got } = await withWsBot('cli_a1b2c3d4e5f60b01');
    await everyCause(e, got, 'long_connection');
  });

  it('a handler that fails makes react and read reject with BotFailureError', async () => {
    const { emu: e } = await withWsBot('cli_a1b2c3d4e5f60b02', [...KINDS]);
    const id = await botSends(sdkOf(e), 'hello');
    const alice = e.user('alice@example.com');
    const reacted = await alice.react(id, 'THUMBSUP').catch((x) => x);
    expect(reacted).toBeInstanceOf(BotFailureError);
    expect(reacted.deliveries[0]).toMatchObject({ kind: 'im.message.reaction.created_v1', transport: 'long_connection', verdict: 'failed' });
    const read = await alice.read(id).catch((x) => x);
    expect(read).toBeInstanceOf(BotFailureError);
    expect(read.message).toContain('im.message.message_read_v1');
  });
});
