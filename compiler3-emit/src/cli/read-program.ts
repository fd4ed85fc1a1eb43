// Reads PROG for a subcommand: the file's bytes, in any of the three forms;
// errors (missing file, parse errors) go to stderr and give exit 1.
import type { LoadedProgram } from "../ir/load.ts";
import { loadProgram } from "../ir/load.ts";
import { IrParseError } from "../ir/errors.ts";
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
