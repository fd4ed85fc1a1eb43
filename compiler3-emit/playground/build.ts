// Builds what the playground page loads (into playground/.build/, git-ignored):
// the page bundle and the run worker's bundle (esbuild; binaryen stays
// external — the page loads node_modules/binaryen/index.js through its import
// map), and programs.json, the corpus index (corpus-index.ts).

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEsm } from "../src/bundle/esbuild.ts";
import { type CorpusIndex, type CorpusPreset, type CorpusProgram, expectText } from "./corpus-index.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "..", "..");
export const BUILD_DIR = join(HERE, ".build");
export const STATIC_DIR = join(HERE, "static");
export const PROGRAMS_DIR = join(ROOT, "conformance", "programs");
/** The folder of binaryen.js (served at /vendor/binaryen/). */
export const BINARYEN_DIR = dirname(fileURLToPath(import.meta.resolve("binaryen")));

export interface BuildReport {
  readonly ms: number;
  readonly pageBytes: number;
  readonly workerBytes: number;
  readonly programs: number;
}

/** Writes .build/page.js, .build/worker.js and .build/programs.json. */
export async function buildPlayground(): Promise<BuildReport> {
  const t0 = performance.now();
  mkdirSync(BUILD_DIR, { recursive: true });
  const [page, worker] = await Promise.all([
    bundleEsm(join(HERE, "page", "main.ts"), { external: ["binaryen"] }),
    bundleEsm(join(ROOT, "compiler3-emit", "src", "run", "web-worker.ts"), { external: ["binaryen"] }),
  ]);
  writeFileSync(join(BUILD_DIR, "page.js"), page);
  writeFileSync(join(BUILD_DIR, "worker.js"), worker);
  const index = corpusIndex();
  writeFileSync(join(BUILD_DIR, "programs.json"), JSON.stringify(index));
  return { ms: performance.now() - t0, pageBytes: page.length, workerBytes: worker.length, programs: index.programs.length };
}

interface VectorFile {
  programs: { name: string; description?: string; program: string; entry?: string; args?: (number | string)[]; timeoutMs?: number; expect: Record<string, unknown> }[];
}

/** Every .ir under conformance/programs (sorted by path), with the presets of the vectors that name it. */
export function corpusIndex(): CorpusIndex {
  const presets = new Map<string, CorpusPreset[]>();
  for (const f of readdirSync(PROGRAMS_DIR).filter((n) => n.endsWith(".json")).sort()) {
    const file = JSON.parse(readFileSync(join(PROGRAMS_DIR, f), "utf8")) as VectorFile;
    for (const v of file.programs) {
      const list = presets.get(v.program) ?? [];
      list.push({ name: v.name, entry: v.entry ?? "", args: (v.args ?? []).map(String), expect: expectText(v.expect), description: v.description ?? "", ...(v.timeoutMs === undefined ? {} : { timeoutMs: v.timeoutMs }) });
      presets.set(v.program, list);
    }
  }
  const programs: CorpusProgram[] = [];
  for (const dir of readdirSync(PROGRAMS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const name of readdirSync(join(PROGRAMS_DIR, dir)).filter((n) => n.endsWith(".ir")).sort()) {
      const path = `${dir}/${name}`;
      programs.push({ path, presets: presets.get(path) ?? [] });
    }
  }
  return { programs };
}
