import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/index.js';

/**
 * The official SDK, unchanged, with `domain` pointed at the emulator: the most independent
 * check we have that the emulator speaks the platform's protocol.
 */
let emu: RunningEmulator;
let client: lark.Client;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  client = new lark.Client({
    appId: app.app_id,
    appSecret: app.app_secret,
    domain: emu.url,
    appType: lark.AppType.SelfBuild,
    loggerLevel: lark.LoggerLevel.fatal,
  });
});
afterAll(async () => {
  await emu.close();
});

describe('@larksuiteoapi/node-sdk against the emulator', () => {
  it('gets a token, looks up users, creates a chat, sends inline and template cards, and patches', async () => {
    const ids = await client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: ['13800000001'], emails: ['bob@example.com'] },
    });
    expect(ids.code).toBe(0);
    const [alice, bob] = ids.data!.user_list!;
    expect(alice!.user_id).toMatch(/^ou_/);
    expect(bob!.email).toBe('bob@example.com');

    const chat = await client.im.chat.create({
      params: { user_id_type: 'open_id' },
      data: { name: 'SDK test chat', owner_id: alice!.user_id, user_id_list: [bob!.user_id!] },
    });
    expect(chat.code).toBe(0);
    const chatId = chat.data!.chat_id!;

    const inline = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: chatId,
        msg_type: 'interactive',
        content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'from the SDK' }] } }),
      },
    });
    expect(inline.code).toBe(0);

    const template = await client.im.message.createByCard({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: alice!.user_id!, template_id: 'AAqDemoApprov', template_variable: { applicant: 'SDK', amount: 7 } },
    });
    expect(template.code).toBe(0);

    const patched = await client.im.message.patch({
      path: { message_id: inline.data!.message_id! },
      data: { content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'patched' }] } }) },
    });
    expect(patched.code).toBe(0);

    const stored = emu.messages();
    expect(stored).toHaveLength(2);
    expect((stored[0]!.card as any).body.elements[0].content).toBe('patched');
    expect(stored[0]!.chat_id).toBe(chatId);
    expect((stored[1]!.card as any).body.elements[0].content).toContain('SDK');
    // The SDK fetched its token once and reused it.
    expect(emu.requests().filter((r) => r.path.endsWith('/tenant_access_token/internal'))).toHaveLength(1);
  });

  it('surfaces the platform error envelope to SDK callers', async () => {
    const err = await client.im.message
      .create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_missing', msg_type: 'text', content: '{"text":"x"}' } })
      .then(() => null, (e: any) => e);
    expect(err?.response?.status).toBe(400);
    expect(err.response.data).toMatchObject({ code: 230002 });
  });
});
