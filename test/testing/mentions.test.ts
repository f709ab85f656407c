import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAsText, startEmulator, type TestEmulator } from '../../src/testing/index.js';

/** The testing library reads mentions as a person does: by the names of the emulator's people. */
let emu: TestEmulator;
let client: lark.Client;
let alice: { openId: string; name: string };
let bob: { openId: string; name: string };

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  const app = emu.app();
  alice = emu.user('alice@example.com');
  bob = emu.user('bob@example.com');
  client = new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: emu.url, loggerLevel: lark.LoggerLevel.fatal });
});
afterAll(() => emu?.close());

const send = async (msgType: string, content: unknown) => {
  const r = await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: alice.openId, msg_type: msgType, content: JSON.stringify(content) } });
  return r.data!.message_id!;
};

describe('testing library: mentions by name', () => {
  it('a text message\'s text names the people it mentions; unknown ids stay', async () => {
    const id = await send('text', { text: `hi <at user_id="${bob.openId}"></at> and <at user_id="ou_stranger"></at>` });
    expect(emu.message(id).text).toBe(`hi @${bob.name} and @ou_stranger`);
    const waited = await emu.waitForMessage((m) => m.messageId === id);
    expect(waited.text).toBe(`hi @${bob.name} and @ou_stranger`);
  });

  it('cardAsText through the emulator names its people by default; given people win', async () => {
    const id = await send('interactive', { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `Assigned to <at id=${alice.openId}></at> by <at id=ou_stranger></at>` }, { tag: 'person', user_id: bob.openId }] } });
    expect(emu.cardAsText(id)).toBe(`Assigned to @${alice.name} by @ou_stranger\n@${bob.name}`);
    expect(emu.cardAsText(emu.message(id))).toBe(emu.cardAsText(emu.message(id).card!));
    expect(emu.cardAsText(id, { people: { ou_stranger: 'Sam' } })).toBe(`Assigned to @${alice.openId} by @Sam\n@${bob.openId}`);
    // The plain helper knows nobody unless told.
    expect(cardAsText(emu.message(id).card!)).toBe(`Assigned to @${alice.openId} by @ou_stranger\n@${bob.openId}`);
  });

  it('cardAsText of a message that is not a card says so', async () => {
    const id = await send('text', { text: 'plain' });
    expect(() => emu.cardAsText(id)).toThrow(`${id} is a text message, not a card`);
  });
});
