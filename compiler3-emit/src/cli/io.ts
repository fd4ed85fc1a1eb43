// What a vm3 subcommand needs from the process, so tests can run commands in
// process and the dispatcher stays the only place that touches `process`.
import { readFileSync, writeFileSync } from "node:fs";

/** Exit codes of every vm3 command: 0 ok, 1 invalid program / errors, 2 usage. */
export const Exit = { OK: 0, ERROR: 1, USAGE: 2 } as const;
export type Exit = (typeof Exit)[keyof typeof Exit];

export interface CliIo {
  out(text: string | Uint8Array): void;
  err(text: string): void;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: string | Uint8Array): void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readFile: (p) => readFileSync(p),
  writeFile: (p, d) => writeFileSync(p, d),
};

/** A subcommand: its help text and its body (arguments after the command name). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Exit;
}

/** Prints a usage error and the command's help to stderr; returns exit 2. */
export function usageError(io: CliIo, cmd: Command | undefined, message: string): Exit {
  io.err(`vm3${cmd === undefined ? "" : ` ${cmd.name}`}: ${message}\n`);
  io.err(cmd === undefined ? "run 'vm3 --help' for usage\n" : `run 'vm3 ${cmd.name} --help' for usage\n`);
  return Exit.USAGE;
}

export function isHelp(arg: string): boolean {
  return arg === "--help" || arg === "-h";
}
