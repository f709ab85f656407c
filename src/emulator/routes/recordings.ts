import type { Route, RouteContext } from '../core.js';
import { PlatformError, SerializedAnswer } from '../http.js';
import { startRecording, stopRecording } from '../recordings.js';
import type { RecordingRecord } from '../store.js';

const ok = (data: unknown) => ({ body: { code: 0, msg: 'success', data } });

function recordingOf(ctx: RouteContext): RecordingRecord {
  const rec = ctx.core.store.recordings.get(ctx.params.id!);
  if (!rec) throw new PlatformError(404, 404, `no recording ${ctx.params.id}; the emulator keeps the last few, and a reset forgets them`);
  return rec;
}

/** A file name for the download: the recording's id, nothing a request chose. */
const fileName = (rec: RecordingRecord) => `recorded-${rec.id.replace(/[^\w-]/g, '')}.test.ts`;

/**
 * "Record a test": start a recording, stop it, read its steps, or download it as a vitest file
 * (`card inbox record` and the inbox page use these).
 */
export const recordingRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/_emulator/recordings',
    auth: 'none',
    handle: (ctx) => ok(startRecording(ctx.core)),
  },
  {
    method: 'POST',
    pattern: '/_emulator/recordings/:id/stop',
    auth: 'none',
    handle: (ctx) => ok(stopRecording(ctx.core, recordingOf(ctx))),
  },
  {
    method: 'GET',
    pattern: '/_emulator/recordings/:id',
    auth: 'none',
    handle: (ctx) => ok(recordingOf(ctx)),
  },
  {
    method: 'GET',
    pattern: '/_emulator/recordings/:id/test',
    auth: 'none',
    async handle(ctx) {
      const rec = recordingOf(ctx);
      // The generator loads when a test is downloaded, not when the emulator starts.
      const { recordedTest } = await import('../../testing/record-codegen.js');
      const text = recordedTest(rec, { typescript: true });
      return { body: new SerializedAnswer(Buffer.from(text, 'utf8'), 0), headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName(rec)}"` } };
    },
  },
];
