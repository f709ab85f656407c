import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';
import { serve } from '../helpers/handler.js';

/**
 * The shipped fixtures of the message events (reactions, reads, recalls): replay-callback sends
 * them, signed and encrypted, and the official SDK's dispatcher hands each to its typed handler.
 */
const ENCRYPT_KEY = 'test-encrypt-key-made-up';
const VERIFICATION_TOKEN = 'test-verification-token-made-up';
const logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const got: Array<{ kind: string; data: any }> = [];
let server: Awaited<ReturnType<typeof serve>>;
const sb = new Sandbox();

const on = (kind: string) => (data: any) => {
  got.push({ kind, data });
  return {};
};

beforeAll(async () => {
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, logger } as any).register({
    'im.message.reaction.created_v1': on('created'),
    'im.message.reaction.deleted_v1': on('deleted'),
    'im.message.message_read_v1': on('read'),
    'im.message.recalled_v1': on('recalled'),
  } as any);
  server = await serve(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }) as any);
});
afterAll(async () => {
  await server.close();
  sb.cleanup();
});

describe('replay-callback reaction-created reaction-deleted message-read message-recalled', () => {
  it('each reaches its typed handler in the official SDK with the fields the platform sends', async () => {
    const r = await sb.run([
      'replay-callback', 'reaction-created', 'reaction-deleted', 'message-read', 'message-recalled',
      '--url', `${server.url}/webhook/event`, '--encrypt-key', ENCRYPT_KEY, '--verification-token', VERIFICATION_TOKEN, '--json',
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
