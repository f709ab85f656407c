import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, TestEmulatorError, type TestEmulator } from '../../src/testing/index.js';
import { idSegment } from '../../src/testing/path-segment.js';

/**
 * The testing library puts ids into control-API paths. An id of `.` or `..` survives
 * encodeURIComponent and URL parsing then steps within the path, so the request would reach
 * another route: the library refuses such an id before sending anything, naming it.
 */
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('ids in the paths the testing library sends', () => {
  it('refuses a chat id, message id or reaction id that is a dot segment', async () => {
    emu = await startEmulator({ rateLimits: false });
    const alice = emu.user('alice@example.com');

    const leave = await alice.leave('..').catch((e) => e);
    expect(leave).toBeInstanceOf(TestEmulatorError);
    expect(leave.message).toContain('chat_id ".." is not an id');
    const remove = await alice.removeMember('.', 'bob@example.com').catch((e) => e);
    expect(remove).toBeInstanceOf(TestEmulatorError);
    expect(remove.message).toContain('chat_id "." is not an id');
    const read = await alice.read('..').catch((e) => e);
    expect(read).toBeInstanceOf(TestEmulatorError);
    expect(read.message).toContain('message_id ".." is not an id');
    const unreact = await alice.unreact({ reactionId: '..' } as never).catch((e) => e);
    expect(unreact).toBeInstanceOf(TestEmulatorError);
    expect(unreact.message).toContain('reaction_id ".." is not an id');
  });

  it('keeps every other id exact in one segment', () => {
    expect(idSegment('oc_a/b', 'chat_id')).toBe('oc_a%2Fb');
    expect(idSegment('...', 'chat_id')).toBe('...');
    expect(idSegment('%2e%2e', 'chat_id')).toBe('%252e%252e');
    expect(() => idSegment('', 'app_id')).toThrow(TestEmulatorError);
  });
});
