import * as http from 'node:http';
import { networkError } from './errors.js';
import { checkTarget } from './loopback.js';

/** One server-sent event: its type and its data line(s). */
export interface ServerEvent {
  type: string;
  data: string;
}

export interface EventStream {
  /** Resolves once the server answered 200 and the stream is open. */
  opened: Promise<void>;
  close(): void;
}

/** One event's text may not grow past this; a server that sends more is cut off. */
const MAX_EVENT_BYTES = 64 * 1024;

/**
 * Reads a server-sent event stream (the emulator's inbox events), loopback only: it is how a
 * command waits for what happens next without asking again and again. `onEvent` gets each event;
 * `onEnd` is called once if the stream ends or fails after it opened.
 */
export function openEventStream(urlText: string, opts: { connectTimeoutMs: number; onEvent: (e: ServerEvent) => void; onEnd: (err: Error | null) => void }): EventStream {
  const url = new URL(urlText);
  checkTarget(url, 'loopback');
  let req: http.ClientRequest | null = null;
  let ended = false;
  const end = (err: Error | null) => {
    if (ended) return;
    ended = true;
    opts.onEnd(err);
  };
  const opened = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(networkError(Object.assign(new Error('timeout'), { code: 'timeout' }), url, opts.connectTimeoutMs));
      req?.destroy();
    }, opts.connectTimeoutMs);
    req = http.get(url, { headers: { accept: 'text/event-stream', 'user-agent': 'card-cli' } }, (res) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        res.resume();
        reject(networkError(new Error(`HTTP ${res.statusCode} for the event stream`), url, opts.connectTimeoutMs));
        return;
      }
      resolve();
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length) opts.onEvent({ type, data: data.join('\n') });
        }
        if (buffer.length > MAX_EVENT_BYTES) {
          end(new Error(`an event of the stream is over ${MAX_EVENT_BYTES} bytes`));
          res.destroy();
        }
      });
      res.on('end', () => end(null));
      res.on('error', (err) => end(err));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(networkError(err, url, opts.connectTimeoutMs));
      end(err);
    });
  });
  return {
    opened,
    close() {
      ended = true;
      req?.destroy();
    },
  };
}
