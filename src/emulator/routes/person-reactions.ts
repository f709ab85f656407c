import type { Route } from '../core.js';
import { PlatformError } from '../http.js';
import { reactionEvents } from '../message-events.js';
import type { ReactionRecord } from '../store.js';
import { checkFields, objectBody } from '../validate.js';
import { personInPath } from './person-path.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });


const view = (r: ReactionRecord) => ({ reaction_id: r.reaction_id, message_id: r.message_id, emoji_type: r.emoji_type, operator: { operator_id: r.operator.id, operator_type: r.operator.type }, action_time: String(r.action_time) });

/**
 * A person reacts to a message, or takes a reaction back, as in the client: the platform's rules
 * for the reaction API hold (a member of the chat, a listed emoji_type, not a recalled message,
 * only one's own reaction), and every bot in the chat is told. Answered with the deliveries.
 */
export const personReactionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/_emulator/users/:open_id/reactions',
    auth: 'none',
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const body = checkFields<{ message_id: string; emoji_type: string }>(objectBody(ctx.body), {
        message_id: { type: 'string', required: true },
        emoji_type: { type: 'string', required: true },
      });
      const m = store.messages.get(body.message_id);
      if (!m) throw new PlatformError(404, 231003, `no message ${body.message_id}.${store.droppedNote(body.message_id)}`);
      const before = store.reactionsOf(m.message_id).length;
      const now = core.now();
      const r = store.react(m, { type: 'user', id: user.open_id }, body.emoji_type, now);
      core.events.emit('act', { kind: 'react', open_id: user.open_id, message_id: m.message_id, emoji_type: r.emoji_type });
      // The same emoji again is the reaction already there: nothing changed, nobody is told.
      const deliveries = store.reactionsOf(m.message_id).length > before ? await reactionEvents(core, m, r, 'created', now) : [];
      return ok({ reaction: view(r), deliveries });
    },
  },
  {
    method: 'DELETE',
    pattern: '/_emulator/users/:open_id/reactions/:reaction_id',
    auth: 'none',
    async handle(ctx) {
      const { core } = ctx;
      const store = core.store;
      const user = personInPath(ctx);
      const messageId = store.reactionIndex.get(ctx.params.reaction_id!);
      const m = messageId === undefined ? undefined : store.messages.get(messageId);
      if (!m) throw new PlatformError(404, 231011, `no reaction ${ctx.params.reaction_id}`);
      const r = store.unreact(m, { type: 'user', id: user.open_id }, ctx.params.reaction_id!);
      core.events.emit('act', { kind: 'unreact', open_id: user.open_id, message_id: m.message_id, emoji_type: r.emoji_type });
      const deliveries = await reactionEvents(core, m, r, 'deleted', core.now());
      return ok({ reaction: view(r), deliveries });
    },
  },
];
