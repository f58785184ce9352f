/** Where a command writes; injected so tests can run commands in-process. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Command {
  readonly name: string;
  /** One line for the top-level `--help`. */
  readonly summary: string;
  /** Returns the process exit code: 0 ok, 1 failure, 2 usage error. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
