import type { Route } from '../core.js';
import { deliveryLog } from '../delivery.js';
import { groupDeliveries } from '../delivery-log.js';
import { fieldViolation } from '../validate.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

/**
 * `GET /_emulator/deliveries`: every event and callback the emulator delivered, each with its
 * attempts (an event that failed is re-sent on the platform's schedule with the same event_id),
 * newest last. Filters: app_id, category (event | callback), kind, event_id, state
 * (delivered | retrying | failed), since (attempts with a larger id).
 */
export const deliveryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/_emulator/deliveries',
    auth: 'none',
    handle(ctx) {
      const q = ctx.query;
      const category = q.get('category');
      if (category !== null && category !== 'event' && category !== 'callback') throw fieldViolation('category', 'category must be "event" or "callback"', category);
      const state = q.get('state');
      if (state !== null && !['delivered', 'retrying', 'failed'].includes(state)) throw fieldViolation('state', 'state must be delivered, retrying or failed', state);
      const since = Number(q.get('since') ?? 0) || 0;
      const attempts = deliveryLog(ctx.core).filter(
        (r) =>
          r.id > since &&
          (!q.get('app_id') || r.app_id === q.get('app_id')) &&
          (!category || r.category === category) &&
          (!q.get('kind') || r.kind === q.get('kind')) &&
          (!q.get('event_id') || r.event_id === q.get('event_id')),
      );
      const groups = groupDeliveries(attempts).filter((g) => !state || g.state === state);
      return ok({ deliveries: groups });
    },
  },
];
