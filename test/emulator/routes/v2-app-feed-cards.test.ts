import { describe, expect, it } from 'vitest';
import { answer, sdkForFile } from '../../helpers/sdk.js';

const { t, sdk } = sdkForFile();

const LINK = { link: 'https://example.com/orders/1' };

function cardOf(openId: string, bizId: string) {
  return t.emu.core.store.appFeedCard(t.emu.core.store.apps.get(t.app.app_id)!, openId, bizId);
}

async function create(bizId: string, userIds: string[], extra: Record<string, unknown> = {}) {
  return answer(sdk().im.v2.appFeedCard.create({ data: { app_feed_card: { biz_id: bizId, title: 'Order 1', preview: 'shipped', link: LINK, ...extra }, user_ids: userIds } }));
}

describe('POST /open-apis/im/v2/app_feed_card', () => {
  it('puts the card in each user\'s feed and reports the users it could not reach in failed_cards', async () => {
    const [alice, bob, , dave] = t.users;
    const r = await answer(
      sdk().im.v2.appFeedCard.create({
        params: { user_id_type: 'union_id' },
        data: {
          app_feed_card: {
            title: 'Order 1',
            status_label: { text: 'Paid', type: 'success' },
            buttons: { buttons: [{ action_type: 'url_page', text: { text: 'Open' }, multi_url: { url: 'https://example.com/o/1' } }] },
            link: LINK,
            time_sensitive: true,
          },
          user_ids: [alice!.union_id, bob!.union_id, dave!.union_id, 'on_nobody'],
        },
      }),
    );
    expect(r.body.code).toBe(0);
    const bizId = r.body.data.biz_id as string;
    expect(bizId).toBeTruthy();
    expect(r.body.data.failed_cards).toEqual([
      { biz_id: bizId, user_id: dave!.union_id, reason: '1' },
      { biz_id: bizId, user_id: 'on_nobody', reason: '1' },
    ]);
    const card = cardOf(alice!.open_id, bizId)!;
    expect(card.card).toMatchObject({ title: 'Order 1', status_label: { text: 'Paid', type: 'success' }, time_sensitive: true, link: LINK });
    expect(card.notifications).toBe(1);
    expect(cardOf(bob!.open_id, bizId)).toBeDefined();
  });

  it('answers a biz_id the user already has as a duplicate (reason 4) and leaves the first card', async () => {
    const [alice] = t.users;
    await create('order-7', [alice!.open_id]);
    const again = await create('order-7', [alice!.open_id], { title: 'Other' });
    expect(again.body.data.failed_cards).toEqual([{ biz_id: 'order-7', user_id: alice!.open_id, reason: '4' }]);
    expect(cardOf(alice!.open_id, 'order-7')!.card.title).toBe('Order 1');
  });

  it('refuses a card without its link, without users, with an http link or an avatar the app did not upload (230001)', async () => {
    const [alice] = t.users;
    const noLink = await answer(sdk().im.v2.appFeedCard.create({ data: { app_feed_card: { title: 'x' }, user_ids: [alice!.open_id] } }));
    expect(noLink.body).toMatchObject({ code: 230001, msg: expect.stringContaining('link.link is required') });
    const noUsers = await answer(sdk().im.v2.appFeedCard.create({ data: { app_feed_card: { title: 'x', link: LINK } } }));
    expect(noUsers.body).toMatchObject({ code: 230001, msg: expect.stringContaining('user_ids') });
    const http = await create('b1', [alice!.open_id], { link: { link: 'http://example.com' } });
    expect(http.body).toMatchObject({ code: 230001, msg: expect.stringContaining('https') });
    const page = await create('b4', [alice!.open_id], { buttons: { buttons: [{ action_type: 'url_page', text: { text: 'Open' } }] } });
    expect(page.body).toMatchObject({ code: 230001, msg: expect.stringContaining('app_feed_card.buttons.buttons[0] opens a page') });
    const avatar = await create('b2', [alice!.open_id], { avatar_key: 'img_not_uploaded' });
    expect(avatar.body).toMatchObject({ code: 230001, msg: expect.stringContaining('avatar_key') });
    t.emu.core.store.media.seed('img_feed_avatar', 'image', 0);
    expect((await create('b3', [alice!.open_id], { avatar_key: 'img_feed_avatar' })).body.code).toBe(0);
  });

  it('checks the documented limits: 20 users, 60-character titles, 2 buttons', async () => {
    const many = await create('b', Array.from({ length: 21 }, (_, i) => `ou_${i}`));
    expect(many.body.code).toBe(99992402);
    expect(many.body.error.field_violations[0].field).toBe('user_ids');
    const title = await create('b', [t.users[0]!.open_id], { title: 'x'.repeat(61) });
    expect(title.body.error.field_violations[0].field).toBe('app_feed_card.title');
    const button = { action_type: 'webhook', text: { text: 'Go' } };
    const buttons = await create('b', [t.users[0]!.open_id], { buttons: { buttons: [button, button, button] } });
    expect(buttons.body.error.field_violations[0].field).toBe('app_feed_card.buttons.buttons');
  });

  it('needs im:app_feed_card:write', async () => {
    const r = await answer(sdk(1).im.v2.appFeedCard.create({ data: { app_feed_card: { link: LINK }, user_ids: [t.users[0]!.open_id] } }));
    expect(r.body.code).toBe(99991672);
    expect(r.body.msg).toContain('im:app_feed_card:write');
  });
});

describe('PUT /open-apis/im/v2/app_feed_card/batch', () => {
  it('copies only the fields update_fields names, and moves the times 101/102 name', async () => {
    const [alice, bob] = t.users;
    await create('order-9', [alice!.open_id, bob!.open_id], { status_label: { text: 'Paid', type: 'success' } });
    await t.call('POST', '/_emulator/clock', { advance_seconds: 60 });
    const r = await answer(
      sdk().im.v2.appFeedCardBatch.update({
        data: {
          feed_cards: [
            { app_feed_card: { biz_id: 'order-9', title: 'Shipped', preview: 'ignored' }, user_id: alice!.open_id, update_fields: ['1', '10', '101', '102', '103'] },
            { app_feed_card: { biz_id: 'order-404', title: 'x' }, user_id: bob!.open_id, update_fields: ['1'] },
          ],
        },
      }),
    );
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_cards).toEqual([{ biz_id: 'order-404', user_id: bob!.open_id, reason: '2' }]);
    const card = cardOf(alice!.open_id, 'order-9')!;
    expect(card.card.title).toBe('Shipped');
    expect(card.card.preview).toBe('shipped');
    expect(card.card.status_label).toBeUndefined();
    expect(card.display_time - card.create_time).toBeGreaterThanOrEqual(60_000);
    expect(card.sort_time).toBe(card.display_time);
    expect(card.update_time).toBe(card.display_time);
    expect(card.notifications).toBe(2);
    expect(cardOf(bob!.open_id, 'order-9')!.card.title).toBe('Order 1');
  });

  it('refuses an entry without biz_id and an unknown update field', async () => {
    const [alice] = t.users;
    const noBiz = await answer(sdk().im.v2.appFeedCardBatch.update({ data: { feed_cards: [{ app_feed_card: { title: 'x' }, user_id: alice!.open_id, update_fields: ['1'] }] } }));
    expect(noBiz.body).toMatchObject({ code: 230001, msg: expect.stringContaining('feed_cards[0].app_feed_card.biz_id') });
    const field = await answer(sdk().im.v2.appFeedCardBatch.update({ data: { feed_cards: [{ app_feed_card: { biz_id: 'a' }, user_id: alice!.open_id, update_fields: ['4' as any] }] } }));
    expect(field.body.code).toBe(99992402);
    expect(field.body.error.field_violations[0].field).toBe('feed_cards[0].update_fields[0]');
  });
});

describe('DELETE /open-apis/im/v2/app_feed_card/batch', () => {
  it('removes the user\'s card and reports the cards that were never created', async () => {
    const [alice, bob] = t.users;
    await create('order-3', [alice!.open_id, bob!.open_id]);
    const r = await answer(
      sdk().im.v2.appFeedCardBatch.delete({
        data: {
          feed_cards: [
            { biz_id: 'order-3', user_id: alice!.open_id },
            { biz_id: 'order-4', user_id: alice!.open_id },
          ],
        },
      }),
    );
    expect(r.body.code).toBe(0);
    expect(r.body.data.failed_cards).toEqual([{ biz_id: 'order-4', user_id: alice!.open_id, reason: '2' }]);
    expect(cardOf(alice!.open_id, 'order-3')).toBeUndefined();
    expect(cardOf(bob!.open_id, 'order-3')).toBeDefined();
    // Gone means an update finds nothing.
    const upd = await answer(sdk().im.v2.appFeedCardBatch.update({ data: { feed_cards: [{ app_feed_card: { biz_id: 'order-3', title: 'x' }, user_id: alice!.open_id, update_fields: ['1'] }] } }));
    expect(upd.body.data.failed_cards[0].reason).toBe('2');
  });

  it('refuses a call without feed_cards (230001)', async () => {
    const r = await answer(sdk().im.v2.appFeedCardBatch.delete({ data: {} }));
    expect(r.body).toMatchObject({ code: 230001, msg: expect.stringContaining('feed_cards') });
  });
});
