// Bundles the CLI (dist/cli.js and the help renderer, as tsc wrote them) into CommonJS files in
// dist/bundle, with a V8 code cache beside each, for bin/card.js. A command then starts without
// Node's ES module loader resolving, reading and compiling some fifty modules one by one, and
// without compiling its code at all. The library exports (dist/index.js, dist/testing/) stay the
// unbundled modules. Run by `npm run build`, after tsc and the validators.
//
// - Paths built from `import.meta.url` keep pointing where they did: each module's URL becomes
//   its own file's URL under dist/, so `../../schemas/`, the generated validators and
//   package.json are found as in the module build.
// - commander is bundled with the CLI (its code then comes from the cache too), except for its
//   `child_process`, which it needs only to run external subcommands (card has none): that is
//   required when first used, not at every start.
// - Other packages (ajv, ws, protobufjs, playwright-core, …) stay outside, loaded by Node when a
//   command needs them.
import { isAscii } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'bundle');
const BUNDLED_PACKAGES = new Set(['commander']);

rmSync(out, { recursive: true, force: true });
const bundle = await rolldown({
  input: { cli: join(dist, 'cli.js'), help: join(dist, 'help/render.js') },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.has(id),
  plugins: [
    {
      name: 'card-module-paths',
      transform(code, id) {
        if (id.includes('/node_modules/')) {
          if (!id.includes('/node_modules/commander/')) return null;
          // Lazy: only `_executeSubCommand` uses it.
          return code.replace(
            "const childProcess = require('node:child_process');",
            "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
          );
        }
        const url = JSON.stringify(relative(dist, id).split('\\').join('/'));
        return code
          .replaceAll('createRequire(import.meta.url)(', 'require(')
          .replaceAll('import.meta.url', `__cardModuleUrl(${url})`)
          // A package imported lazily is imported as the module build imports it (chalk, conf and
          // ora are ES modules only: require() cannot load them on Node 20.18, and on later Node
          // returns a namespace the bundle's interop would take for a CommonJS module).
          .replace(/\bimport\((['"])((?!node:)[^'"./][^'"]*)\1\)/g, '__cardImport($1$2$1)');
      },
    },
  ],
});
await bundle.write({
  dir: out,
  format: 'cjs',
  entryFileNames: '[name].cjs',
  // A chunk that holds one module imported lazily is named for it (commands.send.run-…): the
  // names say what a command loads.
  chunkFileNames: (chunk) => (chunk.facadeModuleId?.startsWith(dist) ? `${relative(dist, chunk.facadeModuleId).replace(/\.js$/, '').split(sep).join('.')}-[hash].cjs` : '[name]-[hash].cjs'),
  // Built-in modules imported lazily are required, not imported: no ES module loader at all.
  dynamicImportInCjs: false,
  // Not even dead-code removal: it would drop the wrapper below as an unused expression.
  minify: false,
  // ASCII text is read as Latin-1, a plain copy, where UTF-8 must be decoded (bundle-loader.cjs);
  // comments are for readers of the sources, not for every start to read.
  charset: 'ascii',
  comments: false,
  plugins: [
    {
      name: 'card-wrapper',
      // The function bundle-loader.cjs calls for each file: see there.
      renderChunk: (code) => `(function (exports, require, module, __filename, __dirname, __cardModuleUrl, __cardImport) {${code}\n});\n`,
    },
  ],
});
await bundle.close();
// The loader reads a file as Latin-1 without looking, unless the build names it here as one that
// is not ASCII (the inbox page's scripts, in String.raw templates, which charset: 'ascii' leaves).
const notAscii = readdirSync(out).filter((f) => f.endsWith('.cjs') && !isAscii(readFileSync(join(out, f))));
const loader = readFileSync(join(root, 'scripts/bundle-loader.cjs'), 'utf8');
if (!loader.includes('const UTF8_FILES = new Set([]);')) throw new Error('bundle-loader.cjs: no UTF8_FILES to fill in');
writeFileSync(join(out, 'loader.cjs'), loader.replace('const UTF8_FILES = new Set([]);', `const UTF8_FILES = new Set(${JSON.stringify(notAscii)});`));

// The code caches: written after the commonest commands have run in one process, so the
// functions they call are in the cache, not only the top-level code.
const home = mkdtempSync(join(tmpdir(), 'card-build-'));
try {
  const emulator = await startEmulator(home);
  try {
    const app = emulator.apps[0];
    const card = join(root, 'fixtures/cards/approval.v2.json');
    const runs = [
      ['--version'],
      ['lint', card],
      ['send', card, '--to', emulator.chats[0].chat_id, '--json'],
      ['send', '-', '--to', emulator.chats[0].chat_id, '--json'],
    ];
    const env = { PATH: process.env.PATH, HOME: home, CARD_CONFIG_DIR: home, NO_COLOR: '1', CARD_BASE_URL: emulator.url, CARD_APP_ID: app.app_id, CARD_APP_SECRET: app.app_secret };
    const script = `
      const bundle = require(${JSON.stringify(join(out, 'loader.cjs'))});
      bundle.produceCaches();
      (async () => {
        const { runCli } = bundle.load('cli.cjs');
        for (const argv of ${JSON.stringify(runs)}) await runCli(argv);
        bundle.load('help.cjs').showRecordedHelp(['--help']);
        bundle.writeCaches();
        process.exit(0);
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { env, input: readFileSync(card, 'utf8'), stdio: ['pipe', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`writing the code caches failed (exit ${r.status}): ${r.stderr}`);
  } finally {
    emulator.stop();
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
const files = readdirSync(out);
console.log(`dist/bundle: ${files.filter((f) => f.endsWith('.cjs')).length} files, ${files.filter((f) => f.endsWith('.v8cache')).length} code caches`);

/** `card emulator` from the module build, on a free loopback port, for the send the caches cover. */
function startEmulator(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/card.js'), 'emulator', '--port', '0', '--json', '--no-rate-limit'], {
      env: { PATH: process.env.PATH, HOME: dir, CARD_CONFIG_DIR: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ ...JSON.parse(line), stop: () => child.kill('SIGTERM') }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited early with ${code}`)));
  });
}
