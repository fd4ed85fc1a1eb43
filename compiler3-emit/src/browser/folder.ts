// The files of a `vm3 build --target browser` folder (DESIGN §11) and how
// they reach the disk: everything is written into a fresh sibling folder
// first and then renamed into place (a rename within one file system is
// atomic), so DIR is never half-written and a failure leaves it as it was —
// the folder-sized version of cli/io.ts's replaceFile.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsm } from "../bundle/esbuild.ts";
import { programToJsonText } from "../ir/json-plain.ts";
import type { Program } from "../ir/model.ts";
import { indexHtml } from "./index-html.ts";
import { FILES } from "./loader.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const LOADER_ENTRY = join(HERE, "loader.ts");
const PAGE_ENTRY = join(HERE, "page.ts");
const WORKER_ENTRY = join(HERE, "../run/web-worker.ts");
const LOADER_DTS = join(HERE, "vm3-loader.d.ts");

/** The loader bundle's file name: page.ts imports it under this name, and it is external to the page's bundle. */
export const LOADER_FILE = "vm3-loader.js";

/** A user-facing failure of the build (the folder exists, cannot be written): the CLI prints it, exit 1. */
export class FolderError extends Error {}

export interface BuiltModules {
  readonly wasmgc: Uint8Array;
  readonly handleAbi: Uint8Array;
}

/** The folder's files, name → contents (`title` heads index.html: the program's file name). */
export async function folderFiles(program: Program, modules: BuiltModules, title: string): Promise<Map<string, string | Uint8Array>> {
  const [loader, worker, page] = await Promise.all([
    bundleEsm(LOADER_ENTRY),
    bundleEsm(WORKER_ENTRY),
    bundleEsm(PAGE_ENTRY, { external: [`./${LOADER_FILE}`] }),
  ]);
  return new Map<string, string | Uint8Array>([
    [FILES.program, programToJsonText(program)],
    [FILES.wasmgc, modules.wasmgc],
    [FILES.handleAbi, modules.handleAbi],
    [LOADER_FILE, loader],
    [FILES.worker, worker],
    ["vm3-loader.d.ts", readFileSync(LOADER_DTS, "utf8")],
    ["index.html", indexHtml(title, page)],
  ]);
}

/**
 * Writes `files` as the folder `dir`. An existing empty folder is replaced;
 * a non-empty one only with `force`, and only when it is an earlier build
 * (it holds vm3-loader.js) — `--force` never deletes an unrelated folder.
 */
export function writeFolder(dir: string, files: ReadonlyMap<string, string | Uint8Array>, force: boolean): void {
  const out = resolve(dir);
  let replace = false;
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new FolderError(`${dir} exists and is not a folder`);
    const entries = readdirSync(out);
    if (entries.length > 0) {
      if (!force) throw new FolderError(`${dir} exists and is not empty (--force replaces an earlier build)`);
      if (!entries.includes(LOADER_FILE)) throw new FolderError(`${dir} is not an earlier vm3 build (no ${LOADER_FILE}): not replaced, even with --force`);
    }
    replace = true;
  }
  const tag = `${process.pid}.${randomBytes(6).toString("hex")}`;
  const temp = join(dirname(out), `.${basename(out)}.${tag}.tmp`);
  const old = join(dirname(out), `.${basename(out)}.${tag}.old`);
  try {
    mkdirSync(temp);
    for (const [name, data] of files) writeFileSync(join(temp, name), data, { flag: "wx" });
    if (replace) renameSync(out, old);
    try {
      renameSync(temp, out);
    } catch (e) {
      if (replace) renameSync(old, out); // put the earlier folder back
      throw e;
    }
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (e instanceof FolderError) throw e;
    throw new FolderError(`cannot write ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (replace) rmSync(old, { recursive: true, force: true });
}
