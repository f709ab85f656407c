import { lazy, type Declaration } from '../declare.js';

const declare: Declaration = (program) => {
  program
    .command('mcp')
    .description('serve card to coding agents as a Model Context Protocol server on stdio: lint, preview, an emulator, its inbox')
    .option('--allow-real-sends', 'let send_card reach the real platform with --profile (off by default: agents send to the emulator)')
    .addHelpText(
      'after',
      '\nAn MCP client (Claude Code, Cursor, Codex…) starts it; it serves until its stdin closes.\n\nExamples:\n  $ claude mcp add card -- npx card mcp\n  $ card --profile staging mcp --allow-real-sends',
    )
    .action(lazy(() => import('./run.js')));
};

export default declare;
