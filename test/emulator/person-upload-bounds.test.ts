import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../src/emulator/media.js';
import { plainVideoCover } from '../../src/emulator/media-sniff.js';
import { startEmulator, type TestEmulator } from '../../src/testing/index.js';

/** A response body as JSON, as loosely typed as a test reads it. */
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

/**
 * A person's upload comes base64 in the body: its size is known from the text before anything is
 * decoded, line breaks and padding not counted, so an oversized upload is refused by its JSON path.
 */
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('base64 uploads are measured before decoding', () => {
  it('takes MIME-wrapped base64, and refuses data past the image limit naming image.data', async () => {
    emu = await startEmulator({ rateLimits: false });
    const state = await json(fetch(`${emu.url}/_emulator/state`));
    const alice = state.data.users.find((u: any) => u.email === 'alice@example.com').open_id;
    const send = async (body: unknown) => json(fetch(`${emu!.url}/_emulator/users/${alice}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const wrapped = plainVideoCover().bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    expect((await send({ image: { data: wrapped } })).code).toBe(0);
    // Line breaks do not count toward the size; the bytes do.
    const over = 'A'.repeat(Math.ceil(((MEDIA_LIMITS.imageMaxBytes + 3) * 4) / 3));
    const refused = await send({ image: { data: `${'\n'.repeat(1000)}${over}` } });
    expect(refused.code).not.toBe(0);
    expect(JSON.stringify(refused)).toMatch(/image\.data is \d+ bytes, at most 10485760/);
    expect((await send({ image: { data: '\n'.repeat(5000) } })).code).not.toBe(0);
  });
});
