// Cuts ajv's standalone code for one card schema into units that load one by one
// (src/card/validators.ts reads them from the pack the build writes). Compiled with
// `inlineRefs: false`, ajv writes one `function validateN` per $ref'd definition (the root, the
// body, each element type, …), some `const schemaN` objects their code reads, and a helper or two.
// A unit is one of those functions with the constants it reads; the other functions it calls are
// stubs that load their unit on first call. A small card then compiles the few units its elements
// need, not the code for every element type.
//
// ajv embeds whole schema objects where its code reads a few paths of them (the root schema, with
// every definition, for the list of top-level property names): each constant keeps just the paths
// the code reads.
import { parseSync } from 'rolldown/utils';

const NAME = /\b(?:schema|func|validate|wrapper|pattern|formats)\d+\b/g;
const IS_NAME = /^(?:schema|func|validate|wrapper|pattern|formats)\d+$/;

/**
 * @param {string} code ajv standalone code, CommonJS (`module.exports = validateN`)
 * @returns {{ root: string, units: Map<string, string> }} each unit's source, a function expression
 *   `(function (__unit, require) {…; return validateN;})`
 */
export function splitValidator(code) {
  const decls = new Map();
  let root = null;
  for (const st of parseSync('validator.cjs', code, { sourceType: 'script' }).program.body) {
    const text = code.slice(st.start, st.end);
    if (st.type === 'FunctionDeclaration' && IS_NAME.test(st.id.name)) decls.set(st.id.name, { text, fn: true });
    else if (st.type === 'VariableDeclaration' && st.declarations.length === 1 && st.declarations[0].id.type === 'Identifier') decls.set(st.declarations[0].id.name, { text, fn: false });
    else if (st.type === 'ExpressionStatement' && /^module\.exports = (\w+);$/.test(text)) root = /= (\w+);/.exec(text)[1];
    else if (!(st.type === 'ExpressionStatement' && /^"use strict";$|^module\.exports\.default = \w+;$/.test(text))) {
      throw new Error(`split-validator: ajv wrote something this split does not know: ${text.slice(0, 80)}`);
    }
  }
  if (!root || !decls.get(root)?.fn) throw new Error('split-validator: no exported validate function');
  // Names are found in the code by their shape: anything else at the top would be missed.
  for (const name of decls.keys()) if (!IS_NAME.test(name)) throw new Error(`split-validator: unexpected top-level name ${name}`);
  for (const [name, d] of decls) if (/^schema\d+$/.test(name)) d.text = pruned(name, d.text, code);

  const order = [...decls.keys()];
  const named = (text) => new Set([...text.matchAll(NAME)].map((m) => m[0]).filter((n) => decls.has(n)));
  const units = new Map();
  for (const [name, d] of decls) {
    if (!d.fn) continue;
    // The constants it reads, with what they read in turn (`wrapper0 = {validate: validate50}`),
    // and the other functions named anywhere in that.
    const consts = new Set();
    const fns = new Set();
    const visit = (text) => {
      for (const n of named(text)) {
        if (n === name) continue;
        if (decls.get(n).fn) fns.add(n);
        else if (!consts.has(n)) {
          consts.add(n);
          visit(decls.get(n).text);
        }
      }
    };
    visit(d.text);
    const stubs = [...fns].map((f) => `function ${f}(data, options){const real = __unit(${JSON.stringify(f)});const ok = real(data, options);${f}.errors = real.errors;return ok;}`);
    const body = [...order.filter((n) => consts.has(n)).map((n) => decls.get(n).text), ...stubs, d.text].join('\n');
    units.set(name, `(function (__unit, require) {"use strict";\n${body}\nreturn ${name};\n})`);
  }
  return { root, units };
}

/** `const schemaN = {…}` with only the paths the code reads (`schemaN.properties.tag.enum`). */
function pruned(name, text, code) {
  const reads = [...code.matchAll(new RegExp(`\\b${name}\\b((?:\\.[A-Za-z_$][\\w$]*)*)(\\[)?`, 'g'))].filter((m) => !code.startsWith(`const ${name} = `, m.index - 6));
  // Read whole, or by a computed key: keep it all.
  if (reads.some((m) => !m[1] || m[2])) return text;
  const value = JSON.parse(/^const \w+ = (.*);$/s.exec(text)[1]);
  const kept = {};
  for (const m of reads) {
    const path = m[1].slice(1).split('.');
    let from = value;
    let to = kept;
    for (let i = 0; i < path.length && from !== null && typeof from === 'object' && Object.hasOwn(from, path[i]); i++) {
      const k = path[i];
      if (i === path.length - 1) to[k] = from[k];
      else to = to[k] ??= Array.isArray(from[k]) ? [] : {};
      from = from[k];
    }
  }
  return `const ${name} = ${JSON.stringify(kept)};`;
}
