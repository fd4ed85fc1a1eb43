// What a vm3 subcommand needs from the process, so tests can run commands in
// process and the dispatcher stays the only place that touches `process`.
import { randomBytes } from "node:crypto";
import { renameSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Exit codes of every vm3 command: 0 ok, 1 invalid program / errors, 2 usage. */
export const Exit = { OK: 0, ERROR: 1, USAGE: 2 } as const;
export type Exit = (typeof Exit)[keyof typeof Exit];

export interface CliIo {
  out(text: string | Uint8Array): void;
  err(text: string): void;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: string | Uint8Array): void;
  /**
   * Writes `data` to `path` all or nothing: to a new file in the same
   * directory, then renamed over `path` (a rename within one file system is
   * atomic), so a reader never sees a half-written file and an error leaves
   * `path` as it was.
   */
  replaceFile(path: string, data: Uint8Array): void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readFile: (p) => readFileSync(p),
  writeFile: (p, d) => writeFileSync(p, d),
  replaceFile(path, data) {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      writeFileSync(temp, data, { flag: "wx" });
      renameSync(temp, path);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
  },
};

/** A subcommand: its help text and its body (arguments after the command name). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Asynchronous where a command loads a heavy module (the WasmGC emitter) only when used. */
  run(args: string[], io: CliIo): Exit | Promise<Exit>;
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
