import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEmulator, type EmulatorClient } from '../helpers/emulator.js';

let c: EmulatorClient;
beforeAll(async () => {
  c = await withEmulator();
});
afterAll(async () => {
  await c.emu.close();
});

const patch = (body: unknown) => c.call('PATCH', '/_emulator/ws/settings', body);

describe('numeric inputs of the control API', () => {
  it.each([
    ['answer_ms', 2 ** 31, 'answer_ms must be a whole number from 1 to 600000 (milliseconds)'],
    ['answer_ms', 1e300, 'answer_ms must be a whole number from 1 to 600000 (milliseconds)'],
    ['answer_ms', -5, 'answer_ms must be a whole number from 1 to 600000 (milliseconds)'],
    ['answer_ms', 0.5, 'answer_ms must be a whole number from 1 to 600000 (milliseconds)'],
    ['fragment_bytes', 1, 'fragment_bytes must be a whole number from 256 to 1048576 (bytes)'],
    ['fragment_bytes', 2 ** 40, 'fragment_bytes must be a whole number from 256 to 1048576 (bytes)'],
    ['max_connections', 1e9, 'max_connections must be a whole number from 1 to 1000'],
  ])('refuses %s = %s with a 400 naming the field and its range', async (field, value, description) => {
    const before = (await patch({})).body.data;
    const r = await patch({ [field]: value });
    expect(r.status).toBe(400);
    expect(r.body.error.field_violations).toEqual([{ field, value: String(value), description }]);
    // Nothing changed.
    expect((await patch({})).body.data).toEqual(before);
  });

  it('refuses a number sent as text and an unknown setting', async () => {
    expect((await patch({ answer_ms: '100' })).body.code).toBe(9499);
    const unknown = await patch({ answerMs: 100 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field_violations[0]).toMatchObject({ field: 'answerMs', description: expect.stringContaining('answer_ms, fragment_bytes, max_connections') });
  });

  it('takes the ends of each range', async () => {
    const r = await patch({ answer_ms: 600_000, fragment_bytes: 256, max_connections: 1000 });
    expect(r.body.data).toEqual({ answer_ms: 600_000, fragment_bytes: 256, max_connections: 1000 });
    await patch({ answer_ms: 3000, fragment_bytes: 32 * 1024, max_connections: 50 });
  });
});

describe('the same settings given to startEmulator', () => {
  it('refuses a token lifetime or a slow answer past what dates and timers hold', async () => {
    const { startEmulator } = await import('../../src/index.js');
    await expect(startEmulator({ settings: { tokenTtlSeconds: 1e13 } })).rejects.toThrow('settings.tokenTtlSeconds must be from 1 to 31536000 seconds, not 10000000000000');
    await expect(startEmulator({ settings: { tokenTtlSeconds: 0.0001 } })).rejects.toThrow(/settings.tokenTtlSeconds/);
    const faults = { drop: 0, error: 0, slow: 0.5, rateLimit: 0, slowMs: 2 ** 31 };
    await expect(startEmulator({ settings: { faults } })).rejects.toThrow('settings.faults.slowMs must be from 0 to 120000 ms, not 2147483648');
  });
});
