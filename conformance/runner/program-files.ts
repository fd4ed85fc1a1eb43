// The IR programs that program vectors name: read, parsed and validated once
// per file (conformance.md §6.5: an invalid program fails its vectors on every
// backend, with the validator's messages).
import { readFileSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { loadProgram } from "../../compiler3-emit/src/ir/load.ts";
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { validate } from "../../compiler3-emit/src/ir/validate.ts";

export type LoadedIr = { program: Program } | { error: string };

export class ProgramCache {
  readonly #cache = new Map<string, LoadedIr>();

  /**
   * The program `name` refers to from the vector file at `vectorFile`: a
   * relative path to a file below the vector file's folder (conformance.md
   * §6.5) — a vector file is data, and data from elsewhere must not make
   * the runner read an arbitrary file (`../../etc/passwd`, an absolute path,
   * a symbolic link out of the folder).
   */
  load(vectorFile: string, name: string): LoadedIr {
    const escape = escapes(dirname(vectorFile), name);
    if (escape !== undefined) return { error: escape };
    const path = resolve(dirname(vectorFile), name);
    let loaded = this.#cache.get(path);
    if (loaded === undefined) {
      loaded = read(path);
      this.#cache.set(path, loaded);
    }
    return loaded;
  }
}

/** Why `name` does not name a file below `dir`, or undefined when it does (or does not exist: read reports that). */
function escapes(dir: string, name: string): string | undefined {
  const leaves = `program path ${JSON.stringify(name)} leaves the vector file's folder (conformance.md §6.5: a relative path below it)`;
  if (name === "" || isAbsolute(name)) return name === "" ? "the vector names no program" : leaves;
  const root = resolve(dir);
  const below = (p: string, r: string) => p.startsWith(r.endsWith(sep) ? r : r + sep);
  if (!below(resolve(root, name), root)) return leaves;
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(resolve(root, name));
  } catch {
    return undefined;
  }
  return below(real, realRoot) ? undefined : `${leaves}: it is a link to ${real}`;
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
