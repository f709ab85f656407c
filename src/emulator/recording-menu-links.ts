import type { EmulatorCore } from './core.js';
import type { RecordedStep, RecordedUser } from './recording-steps.js';
import type { MessageRecord, RecordingRecord } from './store.js';

type LinkStep = Extract<RecordedStep, { kind: 'link' }>;

/**
 * The recorder's part for bot-menu presses and pasted links: a press becomes a `menu` step, a
 * pasted link a `link` step (not a `say`), which the previews complete once the apps answered.
 */
export function listenMenuLinks(
  core: EmulatorCore,
  active: () => RecordingRecord | null,
  push: (rec: RecordingRecord, step: RecordedStep) => void,
  userOf: (openId: string) => RecordedUser,
): { took(m: MessageRecord): boolean; off(): void } {
  const open = new Map<string, LinkStep>();
  const onMenu = (e: { open_id: string; app_id: string; event_key: string }) => {
    const rec = active();
    if (rec) push(rec, { kind: 'menu', at: core.now(), user: userOf(e.open_id), app_id: e.app_id, event_key: e.event_key });
  };
  const onPreviews = (e: { message_id: string; previews: LinkStep['previews'] }) => {
    const step = open.get(e.message_id);
    if (!step) return;
    open.delete(e.message_id);
    step.previews = e.previews;
  };
  core.events.on('menu', onMenu);
  core.events.on('linkPreviews', onPreviews);
  return {
    took(m) {
      const url = m.sender_open_id ? core.store.pastedLinks.get(m.message_id) : undefined;
      if (url === undefined) return false;
      const rec = active();
      if (!rec) return true;
      const chat = core.store.chats.get(m.chat_id);
      const p2p = chat?.chat_mode !== 'group';
      const step: LinkStep = { kind: 'link', at: m.create_time, message_id: m.message_id, user: userOf(m.sender_open_id!), chat: { id: m.chat_id, mode: p2p ? 'p2p' : 'group' }, app_id: p2p ? ([...(chat?.bots ?? [])][0] ?? null) : null, url, previews: null };
      open.set(m.message_id, step);
      push(rec, step);
      return true;
    },
    off() {
      core.events.off('menu', onMenu);
      core.events.off('linkPreviews', onPreviews);
      open.clear();
    },
  };
}
