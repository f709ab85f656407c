import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorCore } from '../core.js';

/** How long a page waits before it connects again after its stream ended. */
const RECONNECT_MS = 1000;
const BEAT_MS = 15_000;

/**
 * Server-sent events for the inbox page: arrivals, updates, interactions, deliveries and link previews, as they happen. A page
 * that stops reading (a tab left in the background, a hung client) must not make the emulator
 * buffer for it without end: once more than `settings.inboxStreamBytes` waits unsent, its stream
 * is cut. The page then connects again and reloads its lists, so it misses nothing it shows.
 */
export function streamInboxEvents(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  let open = true;
  const write = (chunk: string) => {
    if (!open) return;
    if (res.writableLength + Buffer.byteLength(chunk) > core.settings.inboxStreamBytes) {
      stop();
      // Destroyed, not ended: an end would wait behind what the page is not reading.
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  const send = (type: string) => (item: { message_id?: string; chat_id?: string; id?: number }) =>
    write(`event: ${type}\ndata: ${JSON.stringify({ message_id: item.message_id ?? null, chat_id: item.chat_id ?? null, id: item.id ?? null })}\n\n`);
  const onMessage = send('message');
  const onUpdate = send('update');
  const onInteraction = send('interaction');
  const onChat = send('chat');
  const onFeed = (item: { open_id: string }) => write(`event: feed\ndata: ${JSON.stringify({ open_id: item.open_id })}\n\n`);
  const onDelivery = send('delivery');
  // A pasted link's previews as answered: the message they hang under, in its chat.
  const onPreviews = (item: { message_id: string }) => write(`event: previews\ndata: ${JSON.stringify({ message_id: item.message_id, chat_id: core.store.messages.get(item.message_id)?.chat_id ?? null })}\n\n`);
  const beat = setInterval(() => write(': beat\n\n'), BEAT_MS);
  const stop = () => {
    if (!open) return;
    open = false;
    clearInterval(beat);
    core.events.off('message', onMessage);
    core.events.off('update', onUpdate);
    core.events.off('interaction', onInteraction);
    core.events.off('ephemeral', onMessage);
    core.events.off('chat', onChat);
    core.events.off('feed', onFeed);
    core.events.off('delivery', onDelivery);
    core.events.off('linkPreviews', onPreviews);
  };
  core.events.on('message', onMessage);
  core.events.on('update', onUpdate);
  core.events.on('interaction', onInteraction);
  core.events.on('ephemeral', onMessage);
  core.events.on('chat', onChat);
  core.events.on('feed', onFeed);
  core.events.on('delivery', onDelivery);
  core.events.on('linkPreviews', onPreviews);
  req.on('close', stop);
  write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
}
