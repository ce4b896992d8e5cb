/**
 * `tailor <command> …`: dispatches to one file per command under
 * `bin/commands/`, each exporting `main(args): Promise<number>` (the exit code).
 * Exit codes: 0 ok, 1 a cell failed, 2 bad input file or arguments, 3 timeout.
 */
export {};

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main(args: string[]): Promise<number> }> }> = {
  assets: { summary: 'fetch pretrained weights and sample data into public/', load: () => import('./commands/assets.ts') },
  run: { summary: 'execute a notebook headless and write its outputs', load: () => import('./commands/run.ts') },
  export: { summary: 'write a notebook as a self-contained HTML page', load: () => import('./commands/export.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: tailor <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'tailor <command> --help' for a command's options.`;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const command = COMMANDS[name];
if (!command) {
  console.error(`tailor: unknown command '${name}'.\n\n${usage()}`);
  process.exit(2);
}
const code = await (await command.load()).main(args);
process.exit(code);
