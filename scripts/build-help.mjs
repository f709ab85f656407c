// Records every `card ... --help` screen from the built command tree into dist/help/screens.json,
// so a plain help request is answered without loading commander and every declaration (see
// src/help/render.ts). Run by `npm run build`, after tsc.
import { readFileSync, writeFileSync } from 'node:fs';

const { buildProgram } = await import('../dist/program.js');
const { recordHelp } = await import('../dist/help/record.js');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
writeFileSync(new URL('../dist/help/screens.json', import.meta.url), `${JSON.stringify(recordHelp(await buildProgram(version)))}\n`);
