// The IR programs that program vectors name: read, parsed and validated once
// per file (conformance.md §6.5: an invalid program fails its vectors on every
// backend, with the validator's messages).
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { loadProgram } from "../../compiler3-emit/src/ir/load.ts";
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { validate } from "../../compiler3-emit/src/ir/validate.ts";

export type LoadedIr = { program: Program } | { error: string };

export class ProgramCache {
  readonly #cache = new Map<string, LoadedIr>();

  /** The program `name` refers to from the vector file at `vectorFile`. */
  load(vectorFile: string, name: string): LoadedIr {
    const path = resolve(dirname(vectorFile), name);
    let loaded = this.#cache.get(path);
    if (loaded === undefined) {
      loaded = read(path);
      this.#cache.set(path, loaded);
    }
    return loaded;
  }
}

function read(path: string): LoadedIr {
  const shown = relative(process.cwd(), path) || path;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { error: `cannot read program ${shown}: ${(e as Error).message}` };
  }
  try {
    const { program, sourceMap } = loadProgram(shown, bytes);
    const errors = validate(program, { sourceMap, limit: 5 });
    if (errors.length > 0) return { error: `invalid program: ${errors.map((e) => e.text).join("; ")}` };
    return { program };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
