// The emulator's resident memory after 100,000 sends: bounded by its message cap (Linux: /proc).
import { existsSync, readFileSync } from 'node:fs';
import { fmt, spawnEmulator } from './lib.mjs';
import { sendLoad, tenantToken } from './emulator-throughput.mjs';

function rssMiB(pid) {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return null;
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(file, 'utf8'))?.[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

export async function benchEmulatorMemory({ total = 100_000 } = {}) {
  const emu = await spawnEmulator(['--no-rate-limit']);
  try {
    await sendLoad(emu.url, await tenantToken(emu.url, emu.apps[0]), emu.chats[0].chat_id, { total, warmup: 0 });
    const page = await (await fetch(`${emu.url}/_emulator/messages?page_size=1`)).json();
    const mem = rssMiB(emu.pid);
    return {
      name: `emulator memory after ${fmt(total)} sends`,
      value: mem?.rss ?? NaN,
      line: `${mem ? `${fmt(mem.rss, 0)} MiB resident (peak ${fmt(mem.peak, 0)} MiB)` : 'n/a (no /proc)'}; ${fmt(page.data.dropped)} oldest dropped under the default cap (target: at most 160 MiB)`,
    };
  } finally {
    await emu.stop();
  }
}
