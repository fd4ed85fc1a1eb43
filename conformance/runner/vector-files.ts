// Finding and strictly parsing vector files (conformance.md §6): every
// problem names the file and the JSON path inside it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { AbiVectorFile, GoldenCellFile } from "../protocol/messages.ts";
import type { ProgramVectorFile } from "../protocol/program-messages.ts";
import { messageType } from "../protocol/schema.ts";
import { fromStrictJson, SchemaError } from "../protocol/strict-json.ts";

export type VectorFile =
  | { kind: "abi"; path: string; suite: string; file: AbiVectorFile }
  | { kind: "golden"; path: string; suite: string; file: GoldenCellFile }
  | { kind: "program"; path: string; suite: string; file: ProgramVectorFile; absolutePath: string };

export interface LoadProblem {
  path: string;
  message: string;
}

/** All `*.json` files under `dir`, recursively, sorted. */
export function findVectorFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    throw new Error(`cannot read vector folder ${dir}: ${(e as Error).message}`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...findVectorFiles(path));
    else if (entry.endsWith(".json")) files.push(path);
  }
  return files;
}

/** Parses one file; returns a problem instead of throwing. */
export function loadVectorFile(path: string, cwd = process.cwd()): VectorFile | LoadProblem {
  const shown = relative(cwd, path) || path;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return { path: shown, message: `not valid JSON: ${(e as Error).message}` };
  }
  const keys = json !== null && typeof json === "object" ? Object.keys(json) : [];
  const kind = keys.includes("cells") ? "golden" : keys.includes("vectors") ? "abi" : keys.includes("programs") ? "program" : undefined;
  if (kind === undefined) {
    return {
      path: shown,
      message: `not an AbiVectorFile (top-level "vectors"), GoldenCellFile ("cells") or ProgramVectorFile ("programs")`,
    };
  }
  try {
    if (kind === "abi") {
      const file = fromStrictJson(messageType("AbiVectorFile"), json) as AbiVectorFile;
      return { kind, path: shown, suite: file.suite || shown, file };
    }
    if (kind === "program") {
      const file = fromStrictJson(messageType("ProgramVectorFile"), json) as ProgramVectorFile;
      return { kind, path: shown, suite: file.suite || shown, file, absolutePath: path };
    }
    const file = fromStrictJson(messageType("GoldenCellFile"), json) as GoldenCellFile;
    return { kind, path: shown, suite: file.suite || shown, file };
  } catch (e) {
    if (e instanceof SchemaError) return { path: shown, message: e.message };
    throw e;
  }
}

export function isProblem(v: VectorFile | LoadProblem): v is LoadProblem {
  return "message" in v;
}
