/** The top-level help: every command's name and one-line summary. */
export function usage(commands: readonly { readonly name: string; readonly summary: string }[]): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'polyfleet — keep pools of compute nodes alive across many clouds',
    '',
    'Usage: polyfleet <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `polyfleet <command> --help` for the flags of one command.',
    '',
  ].join('\n');
}
