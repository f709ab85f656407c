import type { Route } from '../core.js';
import { openApi } from '../catalogue/declare.js';
import { fail } from '../catalogue/errors.js';
import { s } from '../catalogue/schema.js';

/**
 * Message search is a user's search, over what that user can see: the platform takes only a
 * user_access_token. The emulator issues tenant tokens only, so every call is refused as the
 * platform refuses a tenant token (the gateway does so before this handler runs).
 */
export const messageSearchRoutes: Route[] = [
  openApi({
    method: 'POST',
    path: '/open-apis/im/v1/messages/search',
    title: '搜索消息',
    tokens: ['user'],
    scopes: ['search:message'],
    query: s.object({ page_size: s.optional(s.integer({ minimum: 1, maximum: 30 })), page_token: s.optional(s.string()), user_id_type: s.optional(s.enum(['open_id', 'union_id', 'user_id'])) }),
    body: s.object({ query: s.optional(s.string()), filter: s.optional(s.record(s.any())) }),
    errors: [],
    notes: "Takes only a user's token on the platform; the emulator issues tenant tokens only, so every call is answered as the platform answers a tenant token: HTTP 400, `99991663`.",
    coverage: { partial: 'the emulator issues no user tokens: every call gets the platform\'s refusal of a tenant token (99991663), and no search runs' },
    handle() {
      throw fail(99991663, 'this API takes a user_access_token, and the emulator issues none');
    },
  }),
];
