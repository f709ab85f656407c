import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { startEmulator, type TestEmulator, type TestEmulatorOptions } from '../../src/testing/index.js';
import { dispatcherWebhook, serve } from './handler.js';
import { startWsBot } from './ws-sdk.js';

/**
 * Bots on the official SDK that hear the emulator's events and callbacks: over the webhook (the
 * SDK's EventDispatcher behind a local server, signed and encrypted with the seeded app's keys) and
 * over the long connection (its WSClient), each with an emulator that is closed after the test.
 */
export type Handlers = Record<string, (data: any) => unknown>;

/** The events of a message's life after it was sent. */
export const MESSAGE_EVENT_KINDS = ['im.message.reaction.created_v1', 'im.message.reaction.deleted_v1', 'im.message.message_read_v1', 'im.message.recalled_v1'] as const;

/** The events of a chat's life. */
export const CHAT_EVENT_KINDS = [
  'im.chat.member.bot.added_v1',
  'im.chat.member.bot.deleted_v1',
  'im.chat.member.user.added_v1',
  'im.chat.member.user.deleted_v1',
  'im.chat.member.user.withdrawn_v1',
  'im.chat.updated_v1',
  'im.chat.disbanded_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
] as const;

/** What a recording bot's handlers were given, in order, with the kind each came as. */
export type Got = Array<{ kind: string; data: any }>;

/**
 * Handlers for `kinds` that record each event into `got`; a kind in `failing` (read at each event,
 * so a test may change it) throws, as a bot that is down, and `answer` gives what a handler returns.
 */
export function recordingHandlers(kinds: readonly string[], got: Got, failing: readonly string[] | ReadonlySet<string> = [], answer: (kind: string, data: any) => unknown = () => ({})): Handlers {
  const fails = (k: string) => ('has' in failing ? failing.has(k) : failing.includes(k));
  return Object.fromEntries(kinds.map((k) => [k, (data: any) => {
    got.push({ kind: k, data });
    if (fails(k)) throw new Error(`${k} handler is down`);
    return answer(k, data);
  }]));
}

export const quietLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** The default seed's first app: its keys sign and encrypt what the webhook bots get. */
export const seededApp = loadDefaultSeed().apps[0]!;

/**
 * The default seed with the first app under its own app id (the SDK caches tenant tokens per app
 * id for the whole process, so each test needs one), then changed by `edit`.
 */
export function seedFor(appId: string, edit: (seed: any) => void = () => {}): any {
  const seed = JSON.parse(JSON.stringify(loadDefaultSeed()).replaceAll(seededApp.app_id, appId));
  edit(seed);
  return seed;
}

/** The SDK's EventDispatcher with the seeded app's keys, quiet. */
export function seededDispatcher(handlers: Handlers): lark.EventDispatcher {
  return new lark.EventDispatcher({ encryptKey: seededApp.encrypt_key!, verificationToken: seededApp.verification_token!, logger: quietLogger } as any).register(handlers as any);
}

/** The official SDK's client for the emulator's (first) app. */
export function sdkOf(e: TestEmulator): lark.Client {
  const app = e.app();
  return new lark.Client({ appId: app.appId, appSecret: app.appSecret, domain: e.url, loggerLevel: lark.LoggerLevel.fatal });
}

/** A call to the emulator's control API (or any of its routes) with a JSON body, and its parsed answer. */
export async function control(e: TestEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; code: number; msg: string; data: any; error?: any }> {
  const res = await fetch(`${e.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as { code: number; msg: string; data: any }) };
}

export interface EventBots {
  /** Runs `fn` after the test, before the emulator closes. */
  defer(fn: () => unknown): void;
  /** An emulator closed after the test. */
  emulator(options?: TestEmulatorOptions): Promise<TestEmulator>;
  /** A webhook bot with `handlers`, and an emulator sending its events (or, `at: 'callbacks'`, its callbacks) there. */
  webhookBot(handlers: Handlers, options?: TestEmulatorOptions & { at?: 'events' | 'callbacks' }): Promise<TestEmulator>;
  /** An emulator with the long connection on, and a WSClient bot with `handlers` connected to it as its first app. */
  wsBot(handlers: Handlers, options?: TestEmulatorOptions): Promise<TestEmulator>;
}

/** Call at a test file's top level: registers the afterEach that stops its bots and emulators. */
export function eventBots(): EventBots {
  const stop: Array<() => unknown> = [];
  afterEach(async () => {
    for (const s of stop.splice(0)) await s();
  });
  const emulator = async (options: TestEmulatorOptions = {}) => {
    // Rate limits off: these tests make many calls within a second.
    const emu = await startEmulator({ rateLimits: false, ...options });
    // Closed after every bot it talks to (unshift would close it first).
    stop.push(() => emu.close());
    return emu;
  };
  return {
    defer: (fn) => void stop.unshift(fn),
    emulator,
    async webhookBot(handlers, { at = 'events', ...options } = {}) {
      const bot = await serve(dispatcherWebhook(seededDispatcher(handlers), seededApp.encrypt_key!));
      stop.unshift(bot.close);
      return emulator({ ...options, [at === 'events' ? 'eventUrl' : 'callbackUrl']: `${bot.url}/${at}` });
    },
    async wsBot(handlers, options = {}) {
      const emu = await emulator({ ...options, longConnection: true });
      const app = emu.app();
      const bot = await startWsBot(emu.url, { app_id: app.appId, app_secret: app.appSecret }, handlers);
      stop.unshift(bot.close);
      return emu;
    },
  };
}

/** The made-up keys a replay-callback test signs and encrypts with. */
export const REPLAY_KEYS = { encryptKey: 'test-encrypt-key-made-up', verificationToken: 'test-verification-token-made-up' };

/**
 * A receiver for `card replay-callback`: the SDK's dispatcher with `handlers` behind its own
 * adapter at `/webhook/event` (challenge answered), keyed with REPLAY_KEYS.
 */
export async function replayReceiver(handlers: Handlers): Promise<Awaited<ReturnType<typeof serve>>> {
  const dispatcher = new lark.EventDispatcher({ ...REPLAY_KEYS, logger: quietLogger } as any).register(handlers as any);
  return serve(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }) as any);
}

/**
 * Call at a replay test file's top level: a receiver up for the file's tests that records each
 * event of `names` (event type → the name it is recorded as) in `got`; `args()` points
 * `card replay-callback` at it, with REPLAY_KEYS and --json.
 */
export function replayReceiverForFile(names: Record<string, string>): { got: Got; args(): string[] } {
  const got: Got = [];
  let server: Awaited<ReturnType<typeof replayReceiver>> | undefined;
  beforeAll(async () => {
    server = await replayReceiver(Object.fromEntries(Object.entries(names).map(([event, name]) => [event, (data: any) => {
      got.push({ kind: name, data });
      return {};
    }])));
  });
  afterAll(() => server?.close());
  return { got, args: () => ['--url', `${server!.url}/webhook/event`, '--encrypt-key', REPLAY_KEYS.encryptKey, '--verification-token', REPLAY_KEYS.verificationToken, '--json'] };
}
