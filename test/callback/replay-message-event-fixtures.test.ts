import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { replayReceiverForFile } from '../helpers/event-bots.js';

/**
 * The shipped fixtures of the message events (reactions, reads, recalls): replay-callback sends
 * them, signed and encrypted, and the official SDK's dispatcher hands each to its typed handler.
 */
const receiver = replayReceiverForFile({
  'im.message.reaction.created_v1': 'created',
  'im.message.reaction.deleted_v1': 'deleted',
  'im.message.message_read_v1': 'read',
  'im.message.recalled_v1': 'recalled',
});
const got = receiver.got;
const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('replay-callback reaction-created reaction-deleted message-read message-recalled', () => {
  it('each reaches its typed handler in the official SDK with the fields the platform sends', async () => {
    const r = await sb.run([
      'replay-callback', 'reaction-created', 'reaction-deleted', 'message-read', 'message-recalled',
      ...receiver.args(),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(got.map((g) => g.kind)).toEqual(['created', 'deleted', 'read', 'recalled']);
    expect(got[0]!.data).toMatchObject({ event_type: 'im.message.reaction.created_v1', reaction_type: { emoji_type: 'THUMBSUP' }, operator_type: 'user' });
    expect(got[0]!.data.user_id.open_id).toMatch(/^ou_/);
    expect(got[1]!.data).toMatchObject({ event_type: 'im.message.reaction.deleted_v1', reaction_type: { emoji_type: 'THUMBSUP' } });
    expect(got[2]!.data.reader.reader_id.open_id).toMatch(/^ou_/);
    expect(got[2]!.data.message_id_list).toHaveLength(1);
    expect(got[3]!.data).toMatchObject({ recall_type: 'message_owner' });
    expect(got[3]!.data.chat_id).toMatch(/^oc_/);
  });
});
