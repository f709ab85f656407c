import { constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, accessSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import { usageError } from '../../output/errors.js';
import { onceAcrossProcesses } from '../../process/once-across-processes.js';

/** The optional dependency that carries card's headless Chromium (Linux x64 and arm64). */
const BUNDLED_PACKAGE = '@sparticuz/chromium';

/** Where a browser came from, so `card preview` can say which one it used. */
export interface FoundChromium {
  path: string;
  source: 'CARD_CHROMIUM' | 'system' | 'bundled';
  /** Extra environment for the browser process (the bundled one's libraries and fonts). */
  env: Record<string, string>;
}

export interface FindDeps {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  exists?: (path: string) => boolean;
  /** The bundled browser, unpacked on first use; null when the package is absent. */
  bundled?: () => Promise<FoundChromium | null>;
  warn?: (message: string) => void;
}

const LINUX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'microsoft-edge', 'microsoft-edge-stable'];
const LINUX_PATHS = ['/snap/bin/chromium', '/opt/google/chrome/chrome', '/opt/microsoft/msedge/msedge'];
const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
];
const WIN_APPS = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];

/** The places a user's own Chrome, Chromium or Edge lives, in the order we try them. */
export function systemCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    const home = env.HOME || homedir();
    return MAC_APPS.flatMap((app) => [`/Applications/${app}`, join(home, 'Applications', app)]);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return WIN_APPS.flatMap((app) => roots.map((root) => `${root}\\${app}`));
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...LINUX_NAMES.flatMap((name) => dirs.map((d) => join(d, name))), ...LINUX_PATHS];
}

/**
 * The browser to drive, in the order a user expects: CARD_CHROMIUM, then a Chrome, Chromium or
 * Edge installed on the system, then the headless Chromium that came from the npm registry with
 * card (@sparticuz/chromium, Linux only), unpacked once into a cache.
 */
export async function findChromium(deps: FindDeps): Promise<FoundChromium> {
  const exists = deps.exists ?? isExecutableFile;
  const platform = deps.platform ?? process.platform;
  const wanted = deps.env.CARD_CHROMIUM;
  if (wanted) {
    if (!exists(wanted)) throw usageError(`CARD_CHROMIUM points at ${wanted}, which is not an executable file`, { hint: 'Point CARD_CHROMIUM at a Chrome, Chromium or Edge binary, or unset it to use the one card ships.' });
    return { path: wanted, source: 'CARD_CHROMIUM', env: {} };
  }
  const system = systemCandidates(deps.env, platform).find((p) => exists(p));
  if (system) return { path: system, source: 'system', env: {} };
  const arch = deps.arch ?? process.arch;
  const shipsBundled = platform === 'linux' && (arch === 'x64' || arch === 'arm64');
  const bundled = shipsBundled ? await (deps.bundled ?? (() => bundledChromium(deps.env, deps.warn)))() : null;
  if (bundled) return bundled;
  const own = 'install Chrome, Chromium or Edge, or point CARD_CHROMIUM at one';
  if (shipsBundled) {
    // The platform is one card ships a browser for: what is missing is the optional package
    // that carries it, which `npm install --omit=optional` (or --no-optional) leaves out.
    throw usageError(`no Chromium found for the screenshot: the optional package ${BUNDLED_PACKAGE}, which carries card's headless Chromium for Linux, is not installed`, {
      hint: `Install it (npm install ${BUNDLED_PACKAGE}, or install card again without --omit=optional), or ${own}.`,
      code: 'chromium_not_installed',
    });
  }
  throw usageError(`no Chromium found for the screenshot on ${platform} ${arch}`, {
    hint: `${own[0]!.toUpperCase()}${own.slice(1)} (card ships a headless Chromium only for Linux x64 and arm64).`,
  });
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder of the @sparticuz/chromium package, or null when it was not installed. */
function bundledPackageDir(): { dir: string; version: string } | null {
  try {
    // The package exports no package.json: walk up from its entry point.
    let dir = dirname(createRequire(import.meta.url).resolve(BUNDLED_PACKAGE));
    while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin', 'chromium.br'))) {
      if (dirname(dir) === dir) return null;
      dir = dirname(dir);
    }
    return { dir, version: String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version) };
  } catch {
    return null;
  }
}

/**
 * Where the unpacked browser is kept: CARD_CACHE_DIR, else beside the package in
 * node_modules/.cache (shared by every run of this install, and outside the user's home), else
 * the user's cache directory when node_modules is read-only.
 */
export function cacheDirs(env: NodeJS.ProcessEnv, packageDir: string | null): string[] {
  if (env.CARD_CACHE_DIR) return [env.CARD_CACHE_DIR];
  const dirs: string[] = [];
  if (packageDir) {
    const nodeModules = packageDir.slice(0, packageDir.lastIndexOf('node_modules') + 'node_modules'.length);
    if (nodeModules.endsWith('node_modules')) dirs.push(join(nodeModules, '.cache', 'card'));
  }
  dirs.push(join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'card'));
  return dirs;
}

const FONTS_CONF = (fontDir: string) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${fontDir}</dir>
</fontconfig>
`;

/** Unpacks the bundled headless Chromium (once per version) and says how to run it. */
export async function bundledChromium(env: NodeJS.ProcessEnv, warn?: (message: string) => void): Promise<FoundChromium | null> {
  const pkg = bundledPackageDir();
  if (!pkg) return null;
  const bin = join(pkg.dir, 'bin');
  let lastError: unknown = null;
  for (const base of cacheDirs(env, pkg.dir)) {
    const home = join(base, `chromium-${pkg.version}`);
    const exe = join(home, 'chromium');
    const found: FoundChromium = {
      path: exe,
      source: 'bundled',
      env: { LD_LIBRARY_PATH: [join(home, 'lib'), env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_FILE: join(home, 'fonts.conf') },
    };
    const complete = () => existsSync(join(home, '.complete'));
    if (complete()) return found;
    // Unpacked into a folder of this process's own, then renamed into place in one step: two
    // runs starting at once (parallel tests) never see each other's half-written files. And one
    // at a time: the others wait for it rather than unpacking the same 200 MB beside it.
    const staging = `${home}.${process.pid}.partial`;
    try {
      mkdirSync(base, { recursive: true, mode: 0o700 });
      await onceAcrossProcesses(`${home}.lock`, complete, () => unpack(bin, pkg.version, home, staging, warn));
      if (!complete()) throw new Error(`${home} is not complete`);
      return found;
    } catch (err) {
      lastError = err;
      rmSync(staging, { recursive: true, force: true });
    }
  }
  throw usageError(`could not unpack the bundled Chromium: ${(lastError as Error)?.message ?? 'no cache directory'}`, {
    hint: 'Set CARD_CACHE_DIR to a writable folder, or point CARD_CHROMIUM at a Chrome or Chromium binary.',
  });
}

/** Unpacks the shipped archives into `staging`, marks it complete with `version`, then renames it to `home`. */
async function unpack(bin: string, version: string, home: string, staging: string, warn?: (message: string) => void): Promise<void> {
  warn?.(`unpacking the Chromium that card ships into ${home} (once)`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  // The NSS libraries the headless shell links to, and a Latin font, for machines that have neither.
  extractTar(brotliDecompressSync(readFileSync(join(bin, 'al2023.tar.br'))), staging);
  extractTar(brotliDecompressSync(readFileSync(join(bin, 'fonts.tar.br'))), staging);
  writeFileSync(join(staging, 'fonts.conf'), FONTS_CONF(join(home, 'fonts')));
  await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(staging, 'chromium'), { mode: 0o755 }));
  writeFileSync(join(staging, '.complete'), version);
  // A folder without the marker is a leftover of an interrupted run.
  if (existsSync(home) && !existsSync(join(home, '.complete'))) rmSync(home, { recursive: true, force: true });
  try {
    renameSync(staging, home);
  } catch (err) {
    // Another run got there first: use its copy.
    if (!existsSync(join(home, '.complete'))) throw err;
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A minimal reader for the ustar archives the package ships: regular files and folders only. */
export function extractTar(buf: Buffer, into: string): void {
  let off = 0;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    off += 512;
    // The names come from a package we pinned, but a path that climbs out is refused all the same.
    if (name.split('/').some((part) => part === '..') || name.startsWith('/')) throw new Error(`unsafe path in archive: ${name}`);
    const target = join(into, name);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, buf.subarray(off, off + size), { mode: 0o755 });
    }
    off += Math.ceil(size / 512) * 512;
  }
}
