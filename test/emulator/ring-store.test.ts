import { describe, expect, it } from 'vitest';
import { Ring, pageSize } from '../../src/emulator/ring.js';
import { loadDefaultSeed } from '../../src/emulator/seed.js';
import { storedVersion, Store, type MessageRecord } from '../../src/emulator/store.js';
import { MessageTable } from '../../src/emulator/message-table.js';
import { newId } from '../../src/emulator/ids.js';

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
      store.rememberUuid('create', 'cli_x', `u${i}`, `om_${String(i).padStart(32, '0')}`, 0);
    }
    expect(store.messages.size).toBe(10);
    expect([...store.messages.values()][0]!.message_id).toBe(`om_${String(4990).padStart(32, '0')}`);
    expect(store.droppedMessages).toBe(4990);
    expect(store.messageUuids.has('create\0cli_x\0u0')).toBe(false);
    expect(store.messageUuids.size).toBe(10);
    expect(store.droppedNote(`om_${String(17).padStart(32, '0')}`)).toContain('dropped');
    expect(store.droppedNote(`om_${String(4999).padStart(32, '0')}`)).toBe('');
  });

  it('keeps an inline card as text and gives the same card back when read or serialised', () => {
    const v = storedVersion('{"schema":"2.0","body":{"elements":[]}}', { schema: '2.0', body: { elements: [] } }, 5, 'create', true);
    expect(v.card).toEqual({ schema: '2.0', body: { elements: [] } });
    expect(JSON.parse(JSON.stringify(v))).toEqual({ content: '{"schema":"2.0","body":{"elements":[]}}', card: { schema: '2.0', body: { elements: [] } }, at: 5, via: 'create' });
  });
});

describe('the message table', () => {
  const table = (cap: number) => {
    const dropped: string[] = [];
    const t = new MessageTable<{ message_id: string; n: number }>(() => cap, (m) => dropped.push(m.message_id));
    return { t, dropped };
  };

  it('finds messages by the ids the emulator makes, and forgets the oldest past the cap', () => {
    const { t, dropped } = table(100);
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      ids.push(newId.message());
      if (i % 3 === 0) newId.chat(); // chat ids share the counter: gaps are fine
      t.add({ message_id: ids[i]!, n: i });
    }
    expect(t.size).toBe(100);
    expect(dropped).toEqual(ids.slice(0, 900));
    for (let i = 900; i < 1000; i++) expect(t.get(ids[i]!)?.n).toBe(i);
    for (let i = 0; i < 900; i++) expect(t.has(ids[i]!)).toBe(false);
    expect([...t.values()].map((m) => m.n)).toEqual(Array.from({ length: 100 }, (_, i) => 900 + i));
    // An id of the right shape that was never made is not found, nor is one that only shares a counter.
    const last = ids[999]!;
    // Past the last counter: flipping a digit could land on an earlier id (the counter is the process's, not this test's).
    const later = (BigInt(`0x${last.slice(-12)}`) + 2n).toString(16).padStart(12, '0');
    expect(t.get(`${last.slice(0, -12)}${later}`)).toBeUndefined();
    expect(t.get(`om_${'0'.repeat(20)}${last.slice(-12)}`)).toBeUndefined();
  });

  it('keeps ids made elsewhere or stored out of order, in arrival order', () => {
    const { t, dropped } = table(4);
    const a = newId.message();
    const b = newId.message();
    t.add({ message_id: b, n: 1 });
    t.add({ message_id: 'om_seeded', n: 2 });
    t.add({ message_id: a, n: 3 }); // made before b, stored after it
    const c = newId.message();
    t.add({ message_id: c, n: 4 });
    expect([t.get(b)?.n, t.get('om_seeded')?.n, t.get(a)?.n, t.get(c)?.n]).toEqual([1, 2, 3, 4]);
    expect([...t.valuesAfter('om_seeded')].map((m) => m.n)).toEqual([3, 4]);
    expect([...t.valuesAfter(a)].map((m) => m.n)).toEqual([4]);
    expect([...t.valuesAfter('om_unknown')].map((m) => m.n)).toEqual([1, 2, 3, 4]);
    expect(() => t.add({ message_id: a, n: 5 })).toThrow(/already stored/);
    t.add({ message_id: newId.message(), n: 6 });
    t.add({ message_id: newId.message(), n: 7 });
    expect(dropped).toEqual([b, 'om_seeded']);
    expect(t.get('om_seeded')).toBeUndefined();
    expect(t.get(a)?.n).toBe(3);
  });

  it('stays about the size of its cap over many more messages', () => {
    const { t } = table(10);
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      ids.push(newId.message());
      t.add({ message_id: ids[i]!, n: i });
    }
    expect(t.size).toBe(10);
    expect((t as unknown as { queue: unknown[] }).queue.length).toBeLessThan(2100);
    expect([...t.values()].map((m) => m.n)).toEqual(Array.from({ length: 10 }, (_, i) => 49_990 + i));
    // Found by id after many compactions, and the dropped are gone.
    for (let i = 49_990; i < 50_000; i++) expect(t.get(ids[i]!)?.n).toBe(i);
    expect([ids[0], ids[25_000], ids[49_989]].map((id) => t.get(id!))).toEqual([undefined, undefined, undefined]);
    expect([...t.valuesAfter(ids[49_995]!)].map((m) => m.n)).toEqual([49_996, 49_997, 49_998, 49_999]);
  });
});
