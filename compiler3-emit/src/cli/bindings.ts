// `vm3 emit PROG --bindings DIR`: the typed JS API of a program
// (bindings.md §4): its two modules, NAME.js and NAME.d.ts, and the runtime
// they import, written into DIR (made if missing; its parent must exist:
// Node's recursive mkdir loops forever under /proc). Each file is written
// all or nothing (io.replaceFile); nothing is written unless every file was
// made.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Program } from "../ir/model.ts";
import { BindingError, withAccessors } from "../bindings/accessors.ts";
import { moduleDtsText, moduleFiles, moduleJsText, RUNTIME_FILES } from "../bindings/module-file.ts";
import type { CliIo } from "./io.ts";
import { emitForCli } from "./targets.ts";

const RUNTIME_ENTRY = fileURLToPath(new URL("../bindings/instantiate.ts", import.meta.url));
const RUNTIME_DTS = new URL("../bindings/vm3-bindings.d.ts", import.meta.url);

/** The module name a program file gives: its base name without extension, as a file name. */
export function bindingName(file: string): string {
  const base = file.split(/[\\/]/).pop()!.replace(/\.(ir|json|binpb|pb)$/i, "");
  return base.replace(/[^A-Za-z0-9_.-]/g, "_") || "program";
}

/** Writes the bindings; false (after printing why, one line) when the program cannot be bound or a file cannot be written. */
export async function writeBindings(io: CliIo, file: string, program: Program, dir: string, name: string, optimize: boolean): Promise<boolean> {
  let bound: Program;
  let dts: string;
  try {
    bound = withAccessors(program);
    dts = moduleDtsText(bound, file);
  } catch (e) {
    if (e instanceof BindingError) {
      io.err(`${file}: cannot bind: ${e.message}\n`);
      return false;
    }
    throw e;
  }
  const wasmgc = await emitForCli(io, file, bound, optimize, "wasmgc", true);
  if (wasmgc === undefined) return false;
  const handleAbi = await emitForCli(io, file, bound, optimize, "handle-abi", true);
  if (handleAbi === undefined) return false;
  const { bundleEsm } = await import("../bundle/esbuild.ts");
  const runtime = await bundleEsm(RUNTIME_ENTRY);
  const files = moduleFiles(name);
  const enc = new TextEncoder();
  const out: [string, Uint8Array][] = [
    [files.wasmgc, wasmgc],
    [files.handleAbi, handleAbi],
    [files.js, enc.encode(moduleJsText(bound, name, file))],
    [files.dts, enc.encode(dts)],
    [RUNTIME_FILES.js, enc.encode(runtime)],
    [RUNTIME_FILES.dts, new Uint8Array(io.readFile(fileURLToPath(RUNTIME_DTS)))],
  ];
  try {
    makeDirectory(dir);
    for (const [f, data] of out) io.replaceFile(join(dir, f), data);
  } catch (e) {
    io.err(`vm3 emit: cannot write into ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return false;
  }
  io.err(`vm3 emit: wrote ${dir}: ${out.map(([f, d]) => `${f} (${d.length} B)`).join(", ")}\n`);
  return true;
}

/** DIR itself, made if missing; a missing parent is ENOENT, a file in the way ENOTDIR. */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: "ENOTDIR" });
  }
}
