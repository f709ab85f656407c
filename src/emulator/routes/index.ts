import type { Route } from '../core.js';
import { authRoutes } from './auth.js';
import { batchSendRoutes } from './batch-send.js';
import { cardUpdateRoutes } from './card-update.js';
import { cardkitRoutes } from './cardkit.js';
import { chatAnnouncementRoutes } from './chat-announcement.js';
import { chatManagerRoutes } from './chat-managers.js';
import { chatRoutes } from './chats.js';
import { chatMenuRoutes } from './chat-menu.js';
import { chatTabRoutes } from './chat-tabs.js';
import { chatTopNoticeRoutes } from './chat-top-notice.js';
import { contactRoutes } from './contact.js';
import { contactDepartmentRoutes } from './contact-departments.js';
import { contactScopeRoutes } from './contact-scopes.js';
import { contactUserRoutes } from './contact-users.js';
// ── h24-contact-groups ──
import { contactEmployeeTypeRoutes } from './contact-employee-types.js';
import { contactGroupRoutes } from './contact-groups.js';
import { contactUnitRoutes } from './contact-units.js';
// ── h24-contact-roles ──
import { contactCustomAttrRoutes } from './contact-custom-attrs.js';
import { contactJobRoutes } from './contact-jobs.js';
import { contactRoleRoutes } from './contact-roles.js';
import { contactWorkCityRoutes } from './contact-work-cities.js';
import { deliveryRoutes } from './deliveries.js';
import { controlRoutes } from './control.js';
import { ephemeralRoutes } from './ephemeral.js';
import { forwardRoutes } from './forward.js';
import { messageResourceRoutes } from './message-resources.js';
import { pinRoutes } from './pins.js';
import { reactionRoutes } from './reactions.js';
import { recordingRoutes } from './recordings.js';
import { followUpRoutes } from './follow-ups.js';
import { eventRoutes } from './events.js';
import { personReactionRoutes } from './person-reactions.js';
// ── h24-chat-life ──
import { personChatRoutes } from './person-chats.js';
import { inboxRoutes } from './inbox.js';
import { mediaRoutes } from './media.js';
import { messageReadRoutes } from './message-reads.js';
import { messageSearchRoutes } from './message-search.js';
import { messageRoutes } from './messages.js';
import { urgentRoutes } from './urgent.js';
import { appFeedCardRoutes } from './v2-app-feed-cards.js';
import { chatSearchRoutes } from './v2-chats.js';
import { feedCardRoutes } from './v2-feed-cards.js';
import { tagRoutes } from './v2-tags.js';
import { urlPreviewRoutes } from './v2-url-previews.js';
import { wpsRoutes } from './wps.js';
import { wsControlRoutes } from './ws-control.js';
// ── h24-contact-people ──
import { contactDepartmentWriteRoutes } from './contact-department-writes.js';
import { contactUserWriteRoutes } from './contact-user-writes.js';
import { wsEndpointRoutes } from './ws-endpoint.js';
// ── h24-menu-links ──
import { menuLinkRoutes } from './menu-links.js';

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
  ...reactionRoutes,
  ...pinRoutes,
  ...forwardRoutes,
  ...messageResourceRoutes,
  ...messageReadRoutes,
  ...followUpRoutes,
  ...messageSearchRoutes,
  // ── im/v1 chats (new files) ──
  ...chatManagerRoutes,
  ...chatAnnouncementRoutes,
  // ── im/v1 chat tabs, menus, top notices (new files) ──
  ...chatTabRoutes,
  ...chatMenuRoutes,
  ...chatTopNoticeRoutes,
  // ── im/v2 (new files) ──
  ...appFeedCardRoutes,
  ...feedCardRoutes,
  ...urlPreviewRoutes,
  ...tagRoutes,
  ...chatSearchRoutes,
  // ── contact/v3 directory (new files) ──
  ...contactUserRoutes,
  ...contactDepartmentRoutes,
  ...contactScopeRoutes,
  // ── h24-contact-groups: user groups, units, employee types ──
  ...contactGroupRoutes,
  ...contactUnitRoutes,
  ...contactEmployeeTypeRoutes,
  // ── h24-contact-roles: job levels, families, titles, work cities, functional roles, custom fields ──
  ...contactJobRoutes,
  ...contactWorkCityRoutes,
  ...contactRoleRoutes,
  ...contactCustomAttrRoutes,
  // ── h24-contact-people: contact/v3 user and department writes ──
  ...contactUserWriteRoutes,
  ...contactDepartmentWriteRoutes,
].filter((r) => r.pattern.startsWith('/open-apis/'));

/** Everything else it serves: the control API, the inbox, WPS, the long connection's endpoint. */
export const EMULATOR_ROUTES: readonly Route[] = [
  ...[...authRoutes, ...contactRoutes, ...chatRoutes, ...messageRoutes, ...urgentRoutes, ...ephemeralRoutes, ...batchSendRoutes, ...cardUpdateRoutes, ...mediaRoutes, ...cardkitRoutes].filter(
    (r) => !r.pattern.startsWith('/open-apis/'),
  ),
  ...controlRoutes,
  ...inboxRoutes,
  ...recordingRoutes,
  ...wpsRoutes,
  ...wsEndpointRoutes,
  ...wsControlRoutes,
  ...eventRoutes,
  ...personReactionRoutes,
  // ── h24-chat-life ──
  ...personChatRoutes,
  ...deliveryRoutes,
  // ── h24-menu-links ──
  ...menuLinkRoutes,
];
