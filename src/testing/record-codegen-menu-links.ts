import type { RecordedStep } from '../emulator/recording-steps.js';

type MenuLinkStep = Extract<RecordedStep, { kind: 'menu' | 'link' }>;

/**
 * The test lines for a bot-menu press (`pressMenu`) and a pasted link (`pasteLink`, then the
 * previews the apps gave, as seen when recorded). `lit` writes a value as a JavaScript literal;
 * `defaultApp` is the app the test's `emu.app()` names, left out of the call; `chatId` the
 * group's id as code (a variable's `chatId` for a group made in the recording).
 */
export function menuLinkLines(step: MenuLinkStep, who: string, resultVar: string, lit: (v: unknown) => string, defaultApp: string, chatId = ''): string[] {
  if (step.kind === 'menu') {
    return [`await ${who}.pressMenu(${lit(step.event_key)}${step.app_id !== defaultApp ? `, { app: ${lit(step.app_id)} }` : ''});`];
  }
  const p2p = step.chat.mode === 'p2p';
  const opts = p2p && step.app_id && step.app_id !== defaultApp ? `, { app: ${lit(step.app_id)} }` : '';
  const call = `${who}.pasteLink(${p2p ? lit('p2p') : chatId || lit(step.chat.id)}, ${lit(step.url)}${opts})`;
  if (!step.previews) return [`await ${call};`];
  return [
    `const ${resultVar} = await ${call};`,
    `expect(${resultVar}.previews.map((p) => ({ app: p.appId, ok: p.ok, title: p.inline?.title ?? null }))).toEqual(${lit(step.previews.map((p) => ({ app: p.app_id, ok: p.ok, title: p.title })))});`,
  ];
}
