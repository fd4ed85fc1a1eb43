#!/usr/bin/env node
// The vm3 command line: `vm3 COMMAND [ARGS]`. Each command lives in its own
// file; this is only the dispatcher. Exit codes: 0 ok, 1 invalid program,
// other errors or a trap (vm3 run), 2 usage. No error prints a stack.
import type { CliIo, Command } from "./io.ts";
import { Exit, isHelp, processIo, usageError } from "./io.ts";
import { validateCommand } from "./validate.ts";
import { fmtCommand } from "./fmt.ts";
import { runCommand } from "./run.ts";
import { emitCommand } from "./emit.ts";
import { buildCommand } from "./build.ts";

export const COMMANDS: readonly Command[] = [validateCommand, fmtCommand, runCommand, emitCommand, buildCommand];

export function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: vm3 COMMAND [ARGS]

Tools for compiler3 IR programs (vm3-spec/ir.md, ir-text.md).

Commands:
${lines.join("\n")}

Run 'vm3 COMMAND --help' for a command's usage.
Exit status: 0 ok, 1 invalid program, error or (vm3 run) trap, 2 usage error.
`;
}

/** Runs vm3 with `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<Exit> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(help());
    return Exit.USAGE;
  }
  if (isHelp(name) || name === "help") {
    const sub = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(sub === undefined ? help() : sub.help);
    return Exit.OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd === undefined) return usageError(io, undefined, `unknown command "${name}"`);
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    // Anything a command did not handle is an internal error (a compiler
    // bug, an engine failure inside binaryen): one line naming it. Left to
    // Node, an uncaught error prints the source line it came from — for an
    // error inside binaryen.js, 72 KB of minified library.
    io.err(`vm3 ${name}: internal error: ${errorLine(e)}\n`);
    return Exit.ERROR;
  }
}

/** `Name: first line of the message`, for any thrown value. */
export function errorLine(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e);
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
