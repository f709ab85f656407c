import { readFileSync } from 'node:fs';

/**
 * Long-running commands (emulator, listen, stream) end when the process that started them goes
 * away, so `npx card emulator & … kill $!` in a script does not leave a server holding its port.
 *
 * How: every second (an unref'd timer, a syscall or two) we check that our parent is still
 * ours. A process whose parent dies is handed to init or a subreaper, so `process.ppid`
 * changes; `kill(pid, 0)` catches it too where ppid does not change (Windows). stdin's end is no
 * signal: the emulator is usually started with no stdin at all.
 *
 * npx runs a command as npm → `sh -c card …` → node. Killing npm with SIGTERM takes its shell
 * along (our parent changes); killing npm with SIGKILL leaves the shell waiting on us. So when
 * our parent is such a `sh -c` wrapper, its parent is watched too (Linux, where /proc says so),
 * and a pid is only taken as the same process while its start time is unchanged.
 */

export interface ParentWatch {
  stop(): void;
}

export interface WatchOptions {
  intervalMs?: number;
  /** What to do once the parent is gone; default: say why, then take the stop path a SIGTERM takes. */
  onGone?: (why: string) => void;
  /** Where the default says why it stops (stderr). */
  warn?: (line: string) => void;
  /** The command's environment: CARD_NO_PARENT_WATCH=1 keeps it running after its parent (nohup-style). */
  env?: Record<string, string | undefined>;
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'busybox']);

/** A process's start time (field 22 of /proc/PID/stat), or null where /proc cannot tell. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** Whether a process is a `sh -c …` wrapper (how npm runs a package's bin). */
function isShellWrapper(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const name = (argv[0] ?? '').split('/').pop() ?? '';
    return SHELLS.has(name) && argv[1] === '-c';
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (also when it is not ours to signal). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Watched {
  pid: number;
  start: string | null;
  what: string;
}

export function watchParent(opts: WatchOptions = {}): ParentWatch {
  if (opts.env?.CARD_NO_PARENT_WATCH === '1') return { stop() {} };
  const first = process.ppid;
  // Started by init (a container's PID 1 parent, or already orphaned): nothing to watch.
  if (!first || first <= 1) return { stop() {} };
  const watched: Watched[] = [{ pid: first, start: startTime(first), what: `parent process ${first}` }];
  if (isShellWrapper(first)) {
    const grand = parentOf(first);
    if (grand && grand > 1) watched.push({ pid: grand, start: startTime(grand), what: `process ${grand} that started the shell ${first}` });
  }
  const onGone =
    opts.onGone ??
    ((why: string) => {
      opts.warn?.(`${why}: stopping`);
      // The command's own SIGTERM listener runs its clean stop (close the server, close the card).
      process.emit('SIGTERM', 'SIGTERM');
    });
  let done = false;
  const timer = setInterval(() => {
    if (done) return;
    let why: string | null = process.ppid !== first ? `parent process ${first} went away` : null;
    for (const w of watched) {
      if (why) break;
      if (!alive(w.pid) || (w.start !== null && startTime(w.pid) !== w.start)) why = `${w.what} went away`;
    }
    if (!why) return;
    done = true;
    clearInterval(timer);
    onGone(why);
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return {
    stop() {
      done = true;
      clearInterval(timer);
    },
  };
}
