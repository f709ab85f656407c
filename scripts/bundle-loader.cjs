'use strict';
// Loads the CLI bundle (CommonJS files written by scripts/build-bundle.mjs) the way require would,
// but with the V8 code cache the build wrote beside each file, so a command's code is deserialized
// instead of parsed and compiled at every start. A cache from another Node version, or for a file
// that changed, is rejected by V8 and the file is compiled from source as usual.
//
// The build copies this file to dist/bundle/loader.cjs; bin/card.js requires it from there.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { Script } = require('node:vm');

const DIR = `${__dirname}/`;
/** The bundle files that are not ASCII: the build fills them in when it copies this file. */
const UTF8_FILES = new Set([]);
const loaded = new Map();
let producing = null;
let outside = null;
let distUrl = null;

/** What `import.meta.url` was for a module of the module build: its file under dist/. */
function moduleUrl(pathInDist) {
  distUrl ??= require('node:url').pathToFileURL(`${__dirname}/../`);
  return new URL(pathInDist, distUrl).href;
}

/**
 * import() for the packages the bundle imports lazily, resolved from here as from the module
 * build. A function of this file: code compiled by vm.Script has no import() of its own.
 */
function importPackage(id) {
  return import(id);
}

/** require() for the bundle's files: its own files by relative name, anything else as Node would. */
function requireFromBundle(id) {
  if (id.startsWith('./')) return load(id.slice(2));
  outside ??= createRequire(__filename);
  return outside(id);
}

/**
 * The exports of one bundle file (a name within dist/bundle). Each file is written as one
 * function expression, `(function (exports, require, module, __filename, __dirname,
 * __cardModuleUrl, __cardImport) {...})`: Node's CommonJS wrapper, the module URLs the build put in
 * place of `import.meta.url`, and import() for the packages it imports lazily. Written so by the build, its text is compiled as read, not copied into a
 * wrapper first.
 */
function load(name) {
  const hit = loaded.get(name);
  if (hit) return hit.exports;
  const file = DIR + name;
  const mod = { exports: {}, filename: file, loaded: false, cached: false };
  loaded.set(name, mod);
  let cachedData;
  if (!producing) {
    try {
      cachedData = readFileSync(`${file}.v8cache`);
    } catch {
      cachedData = undefined;
    }
  }
  // As Latin-1, ASCII is copied, neither decoded nor scanned.
  const source = readFileSync(file, UTF8_FILES.has(name) ? 'utf8' : 'latin1');
  const script = new Script(source, { filename: file, cachedData });
  mod.cached = script.cachedDataRejected === false;
  producing?.set(file, script);
  script.runInThisContext().call(mod.exports, mod.exports, requireFromBundle, mod, file, __dirname, moduleUrl, importPackage);
  mod.loaded = true;
  return mod.exports;
}

/** The bundle files this process loaded, and whether each was compiled from its code cache. */
function loadedFiles() {
  return [...loaded].map(([name, mod]) => ({ name, cached: mod.cached }));
}

/**
 * For the build: compile without the caches and remember each script, so `writeCaches` can save
 * them after the commands have run (the caches then hold the functions those commands called).
 */
function produceCaches() {
  producing = new Map();
}

function writeCaches() {
  for (const [file, script] of producing) writeFileSync(`${file}.v8cache`, script.createCachedData());
  return [...producing.keys()];
}

module.exports = { load, loadedFiles, produceCaches, writeCaches };
