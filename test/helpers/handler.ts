import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';

/** A local HTTP server for a test handler; `close()` ends it and its connections. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A webhook bot as a web framework serves one: the official SDK's dispatcher decrypts and checks
 * what arrives (answering the url_verification challenge), and a handler that throws becomes HTTP
 * 500 with the error's stack as the body.
 */
export function dispatcherWebhook(dispatcher: lark.EventDispatcher, encryptKey: string) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const data = Object.assign(Object.create({ headers: req.headers }), JSON.parse(await readBody(req)));
    try {
      const { isChallenge, challenge } = lark.generateChallenge(data, { encryptKey });
      if (isChallenge) return void res.end(JSON.stringify(challenge));
      const value = await dispatcher.invoke(data);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value ?? {}));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end((err as Error).stack);
    }
  };
}
