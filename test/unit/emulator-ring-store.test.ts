import { describe, expect, it } from 'vitest';
import { Ring, pageSize } from '../../src/emulator/ring.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { storedVersion, Store, type MessageRecord } from '../../src/emulator/store.js';

const message = (id: string, uuid: string | null = null): MessageRecord => ({
  message_id: id,
  app_id: 'cli_x',
  chat_id: 'oc_x',
  msg_type: 'interactive',
  receive_id: 'oc_x',
  receive_id_type: 'chat_id',
  uuid,
  create_time: 0,
  update_time: 0,
  updated: false,
  deleted: false,
  versions: [storedVersion('{"schema":"2.0"}', { schema: '2.0' }, 0, 'create', true)],
  user_views: new Map(),
});

describe('the ring buffer', () => {
  it('keeps the newest items in order and forgets the rest', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
    expect(ring.at(0)).toBe(5);
    expect(ring.at(3)).toBeUndefined();
    ring.clear(2);
    ring.push(8);
    expect(ring.toArray()).toEqual([8]);
  });

  it('pages at most 1,000 at a time', () => {
    expect(pageSize(new URLSearchParams('page_size=5000'))).toBe(1000);
    expect(pageSize(new URLSearchParams('page_size=20'))).toBe(20);
    expect(pageSize(new URLSearchParams('page_size=-1'))).toBe(1000);
    expect(pageSize(new URLSearchParams(''))).toBe(1000);
  });
});

describe('the message cap', () => {
  it('drops the oldest first, with their uuids, across many more messages than the cap', () => {
    const store = new Store(loadDefaultSeed(), 0, { maxMessages: 10 });
    for (let i = 0; i < 5000; i++) {
      store.addMessage(message(`om_${String(i).padStart(32, '0')}`, `u${i}`));
      store.messageUuids.set(`cli_x\0u${i}`, { message_id: `om_${String(i).padStart(32, '0')}`, at: 0 });
    }
    expect(store.messages.size).toBe(10);
    expect([...store.messages.keys()][0]).toBe(`om_${String(4990).padStart(32, '0')}`);
    expect(store.droppedMessages).toBe(4990);
    expect(store.messageUuids.has('cli_x\0u0')).toBe(false);
    expect(store.droppedNote(`om_${String(17).padStart(32, '0')}`)).toContain('dropped');
    expect(store.droppedNote(`om_${String(4999).padStart(32, '0')}`)).toBe('');
  });

  it('keeps an inline card as text and gives the same card back when read or serialised', () => {
    const v = storedVersion('{"schema":"2.0","body":{"elements":[]}}', { schema: '2.0', body: { elements: [] } }, 5, 'create', true);
    expect(v.card).toEqual({ schema: '2.0', body: { elements: [] } });
    expect(JSON.parse(JSON.stringify(v))).toEqual({ content: '{"schema":"2.0","body":{"elements":[]}}', card: { schema: '2.0', body: { elements: [] } }, at: 5, via: 'create' });
  });
});
