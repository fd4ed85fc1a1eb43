// Reads PROG for a subcommand: the file's bytes, in any of the three forms;
// errors (missing file, parse errors) go to stderr and give exit 1.
import type { LoadedProgram } from "../ir/load.ts";
import { loadProgram } from "../ir/load.ts";
import { IrParseError } from "../ir/errors.ts";
import { validate } from "../ir/validate.ts";
import type { CliIo } from "./io.ts";

export function readProgram(io: CliIo, file: string): LoadedProgram | undefined {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    io.err(`vm3: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return undefined;
  }
  try {
    return loadProgram(file, bytes);
  } catch (e) {
    if (e instanceof IrParseError) {
      io.err(`${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}

/**
 * Reads PROG and runs the validator (ir.md §8.11) on it, as commands that
 * execute or compile a program must (run and emit assume a valid program):
 * every violation goes to stderr, one a line as `vm3 validate` prints them.
 */
export function readValidProgram(io: CliIo, file: string): LoadedProgram | undefined {
  const loaded = readProgram(io, file);
  if (loaded === undefined) return undefined;
  const errors = validate(loaded.program, loaded.sourceMap === undefined ? {} : { sourceMap: loaded.sourceMap });
  if (errors.length === 0) return loaded;
  for (const e of errors) io.err(`${e.text}\n`);
  return undefined;
}
