import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../src/emulator/store.js';
import { sharedCard, withEmulator, type EmulatorClient } from '../helpers/emulator.js';

let c: EmulatorClient | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await c?.emu.close();
  c = null;
});

/** Opens the inbox's event stream over a raw socket, as a page would, and waits for its first bytes. */
async function openStream(client: EmulatorClient): Promise<{ socket: Socket; received: () => string }> {
  const { host, hostname, port } = new URL(client.emu.url);
  const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  sockets.push(socket);
  let text = '';
  socket.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`GET /_emulator/inbox/events HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n\r\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes(': connected')) resolve();
    });
  });
  return { socket, received: () => text };
}

/** Open event streams: only they listen for inbox clicks. */
const streams = (client: EmulatorClient) => client.emu.core.events.listenerCount('interaction');

/** A message the emulator really stored, as its store announces it. */
async function sendOne(client: EmulatorClient, token: string): Promise<MessageRecord> {
  const announced = new Promise<MessageRecord>((resolve) => client.emu.core.events.once('message', resolve));
  const chat = client.emu.state().chats[0]!;
  const sent = await client.send(token, 'chat_id', chat.chat_id, sharedCard('hello'));
  expect(sent.body.code).toBe(0);
  return announced;
}

const tick = () => new Promise((r) => setImmediate(r));

describe("the inbox's live event stream", () => {
  it('cuts a client that connects and never reads, once more than the bound waits unsent to it', async () => {
    c = await withEmulator({ settings: { inboxStreamBytes: 64 * 1024 } });
    const token = await c.token();
    const { socket, received } = await openStream(c);
    expect(streams(c)).toBe(1);
    socket.pause();
    // The stream's first arrivals come from real sends; the flood repeats what the store announces
    // for each message, since loopback's socket buffers take some 4 MB before the emulator's own bound applies.
    const message = await sendOne(c, token);
    let announced = 1;
    for (; streams(c) > 0 && announced < 200_000; await tick()) {
      for (let i = 0; i < 1000; i++, announced++) c.emu.core.events.emit('message', message);
    }
    expect(streams(c), `still streaming after ${announced} messages`).toBe(0);
    // The client's socket was cut: resumed, it reads what was in flight, then the end.
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.resume();
    await ended;
    const events = received().split('event: message\n').length - 1;
    expect(events).toBeGreaterThan(0);
    expect(events).toBeLessThan(announced);
    // And the emulator carries on.
    expect((await sendOne(c, token)).message_id).toMatch(/^om_/);
  }, 30_000);

  it('keeps streaming to a client that reads, however many messages arrive', async () => {
    c = await withEmulator({ settings: { inboxStreamBytes: 64 * 1024 } });
    const token = await c.token();
    const { received } = await openStream(c);
    const first = await sendOne(c, token);
    const second = await sendOne(c, token);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 100; j++) c.emu.core.events.emit('message', first);
      await new Promise((r) => setTimeout(r, 5));
    }
    const third = await sendOne(c, token);
    const deadline = Date.now() + 10_000;
    while (!received().includes(third.message_id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(received()).toContain(`"message_id":"${second.message_id}"`);
    expect(received()).toContain(`"message_id":"${third.message_id}"`);
    expect(received().split('event: message\n').length - 1).toBe(2003);
    expect(streams(c)).toBe(1);
  });

  it('refuses a bound that is not a whole number of bytes', async () => {
    const { startEmulator } = await import('../../src/index.js');
    const started = startEmulator({ settings: { inboxStreamBytes: 0 } }).then(async (e) => (await e.close(), e));
    await expect(started).rejects.toThrow(/settings.inboxStreamBytes must be a whole number of at least 1/);
  });
});
