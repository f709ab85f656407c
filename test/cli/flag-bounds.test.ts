import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('flags given values out of bounds are bad input (exit 2), never a bug (70) or a network error (4)', () => {
  it.each([
    [['emulator', '--port', '0', '--host', 'bad host'], '--host "bad host" is not an IP address or host name'],
    [['emulator', '--port', '0', '--token-ttl', '1e13'], '--token-ttl must be a whole number of seconds from 1 to 31536000'],
    [['emulator', '--port', '0', '--token-ttl', '0.0001'], '--token-ttl must be a whole number of seconds from 1 to 31536000'],
    [['replay-callback', 'button', '--url', 'http://127.0.0.1:9/', '--header', 'x\r\ny: z'], '--header "x\\r\\ny: z"'],
  ])('card %j', async (args, message) => {
    const r = await sb.run(args, { env: { CARD_APP_ID: 'cli_x000000000000', CARD_APP_SECRET: 'made-up-secret-1', CARD_BASE_URL: 'http://127.0.0.1:9' }, input: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}' });
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
  }, 15_000);
});
