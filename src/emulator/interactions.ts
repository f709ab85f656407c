import type { Fixture } from '../callback/fixtures.js';

/** One click in the inbox: the callback sent, the answer, and what it did to the card. */
export interface Interaction {
  id: number;
  time: string;
  message_id: string;
  app_id: string;
  url: string | null;
  format: Fixture['format'];
  operator: string;
  card_token: string | null;
  status: number | null;
  ms: number | null;
  ok: boolean;
  problems: Array<{ path: string; message: string }>;
  /** Set when nothing could be sent (no callback URL, handler down). */
  error: string | null;
  toast: Record<string, unknown> | null;
  /** What the answer did to the card. */
  applied: 'card' | 'template' | null;
  request: { headers: Record<string, string>; payload: Record<string, unknown> } | null;
  answer: unknown;
  /** How it was sent: the app's callback URL, or its long connection. */
  channel: 'http' | 'ws';
  /** The long-connection client that got it, and the frame type it went out as. */
  device_id: string | null;
  frame_type: 'event' | 'card' | null;
}
