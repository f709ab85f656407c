import * as lark from '@larksuiteoapi/node-sdk';

const noop = () => undefined;
const quiet = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

export interface WsBot {
  client: lark.WSClient;
  close(): void;
}

/**
 * The official SDK's long-connection client pointed at the emulator, ready when it resolves.
 * `close({force})` at the end matters: the SDK otherwise waits out its reconnect timers.
 */
export async function startWsBot(url: string, app: { app_id: string; app_secret: string }, handlers: Record<string, (data: any) => unknown>): Promise<WsBot> {
  const dispatcher = new lark.EventDispatcher({ encryptKey: '', verificationToken: '', logger: quiet }).register(handlers as any);
  let ready!: () => void;
  let failed!: (e: Error) => void;
  const whenReady = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const client = new lark.WSClient({
    appId: app.app_id,
    appSecret: app.app_secret,
    domain: url,
    logger: quiet,
    autoReconnect: false,
    onReady: () => ready(),
    onError: (e) => failed(e),
  });
  void client.start({ eventDispatcher: dispatcher });
  const timer = setTimeout(() => failed(new Error('WSClient did not connect within 5 s')), 5000);
  try {
    await whenReady;
  } finally {
    clearTimeout(timer);
  }
  return { client, close: () => client.close({ force: true }) };
}
