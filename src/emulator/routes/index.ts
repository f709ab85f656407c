import type { Route } from '../core.js';
import { authRoutes } from './auth.js';
import { batchSendRoutes } from './batch-send.js';
import { cardUpdateRoutes } from './card-update.js';
import { cardkitRoutes } from './cardkit.js';
import { chatRoutes } from './chats.js';
import { contactRoutes } from './contact.js';
import { controlRoutes } from './control.js';
import { ephemeralRoutes } from './ephemeral.js';
import { followUpRoutes } from './follow-ups.js';
import { eventRoutes } from './events.js';
import { inboxRoutes } from './inbox.js';
import { mediaRoutes } from './media.js';
import { messageReadRoutes } from './message-reads.js';
import { messageSearchRoutes } from './message-search.js';
import { messageRoutes } from './messages.js';
import { urgentRoutes } from './urgent.js';
import { wpsRoutes } from './wps.js';
import { wsControlRoutes } from './ws-control.js';
import { wsEndpointRoutes } from './ws-endpoint.js';

/** The platform's routes the emulator answers (`/open-apis/…`): the catalogue the coverage table counts. */
export const PLATFORM_ROUTES: readonly Route[] = [
  ...authRoutes,
  ...contactRoutes,
  ...chatRoutes,
  ...messageRoutes,
  ...urgentRoutes,
  ...ephemeralRoutes,
  ...batchSendRoutes,
  ...cardUpdateRoutes,
  ...mediaRoutes,
  ...cardkitRoutes,
  // ── im/v1 messages (new files) ──
  ...messageReadRoutes,
  ...followUpRoutes,
  ...messageSearchRoutes,
  // ── im/v1 chats (new files) ──
  // ── im/v1 chat tabs, menus, top notices (new files) ──
  // ── im/v2 (new files) ──
].filter((r) => r.pattern.startsWith('/open-apis/'));

/** Everything else it serves: the control API, the inbox, WPS, the long connection's endpoint. */
export const EMULATOR_ROUTES: readonly Route[] = [
  ...[...authRoutes, ...contactRoutes, ...chatRoutes, ...messageRoutes, ...urgentRoutes, ...ephemeralRoutes, ...batchSendRoutes, ...cardUpdateRoutes, ...mediaRoutes, ...cardkitRoutes].filter(
    (r) => !r.pattern.startsWith('/open-apis/'),
  ),
  ...controlRoutes,
  ...inboxRoutes,
  ...wpsRoutes,
  ...wsEndpointRoutes,
  ...wsControlRoutes,
  ...eventRoutes,
];
