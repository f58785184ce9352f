import { applyCommand } from './apply/index.js';
import type { CommandIo, Command } from './command.js';
import { controllerCommand } from './controller/index.js';
import { createCommand } from './create/index.js';
import { crushCommand } from './crush/index.js';
import { deleteCommand } from './delete/index.js';
import { describeCommand } from './describe/index.js';
import { getCommand } from './get/index.js';
import { membersCommand } from './members/index.js';
import { runCommand } from './run/index.js';
import { simCommand } from './sim/index.js';
import { usage } from './usage.js';

/** Every top-level command; each module owns its own flags and help. */
const commands: readonly Command[] = [runCommand, applyCommand, createCommand, getCommand, describeCommand, membersCommand, deleteCommand, controllerCommand, simCommand, crushCommand];

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`polyfleet: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  return command.run(rest, io);
}
