// `npm run bench -- --against REV`: the runtime table's rows of commit REV's
// heap timed alternately with the working tree's, in one process, so that a
// regression of a hot path shows as a ratio (DESIGN §10) instead of as two
// tables from two hours. REV's tree is extracted with `git archive` into a
// temporary directory and its bench rows are imported from there: each side
// runs its own heap, compiled and optimised by V8 on its own.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchRow, type RowResult, runRows } from "./harness.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** REV as a full commit id; undefined (after printing why) when git does not know it. */
export function resolveRev(rev: string): string | undefined {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`bench: --against ${rev}: not a commit of this repository${r.stderr.trim() === "" ? "" : ` (${r.stderr.trim()})`}`);
    return undefined;
  }
  return r.stdout.trim();
}

type RowsModule = Record<string, unknown>;

/** The rows a bench directory's modules export (allocRows, structRows, listRows arrays; collectRows a function or an array). */
async function rowsOf(dir: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [file, name] of [["alloc", "allocRows"], ["struct", "structRows"], ["list", "listRows"], ["collect", "collectRows"]] as const) {
    const mod = (await import(pathToFileURL(join(dir, `${file}.bench.ts`)).href)) as RowsModule;
    const v = mod[name];
    const list = typeof v === "function" ? (v as () => BenchRow[])() : (v as BenchRow[] | undefined);
    if (list === undefined) throw new Error(`${dir}/${file}.bench.ts exports no ${name}`);
    rows.push(...list);
  }
  return rows;
}

/**
 * Extracts REV, pairs the rows both sides have (by name) and runs them
 * alternately: in each result, runtimeMs is the working tree's time and
 * plainMs REV's (per the working tree's op count).
 */
export async function runAgainst(commit: string, rounds: number, current: readonly BenchRow[]): Promise<{ results: RowResult[]; onlyHere: string[]; onlyThere: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "vm3-bench-against-"));
  try {
    process.stderr.write(`bench: extracting ${commit.slice(0, 12)} into ${dir}…\n`);
    const archive = spawnSync("sh", ["-c", `git archive ${commit} | tar -x -C "${dir}"`], { cwd: repo, encoding: "utf8" });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr.trim()}`);
    symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
    const theirs = await rowsOf(join(dir, "ts-runtime/bench"));
    const byName = new Map(theirs.map((r) => [r.name, r]));
    const pairs: BenchRow[] = [];
    for (const row of current) {
      const old = byName.get(row.name);
      if (old === undefined) continue;
      // Time per operation where the two sides' counts differ: scale REV's by the ratio of ops.
      if (old.ops !== row.ops) process.stderr.write(`bench: ${row.name}: ${row.ops} ops here, ${old.ops} in ${commit.slice(0, 12)}; compared per op\n`);
      pairs.push({ name: row.name, ops: row.ops, unit: row.unit, prepareRuntime: () => row.prepareRuntime(), preparePlain: () => old.prepareRuntime() });
    }
    const results = runRows(pairs, rounds).map((r, i) => {
      const old = byName.get(pairs[i]!.name)!;
      return { ...r, plainMs: (r.plainMs * r.ops) / old.ops };
    });
    const mine = new Set(current.map((r) => r.name));
    return { results, onlyHere: current.filter((r) => !byName.has(r.name)).map((r) => r.name), onlyThere: theirs.filter((r) => !mine.has(r.name)).map((r) => r.name) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The table: each side's time per run and the ratio working tree / REV (above 1: slower now). */
export function formatAgainst(results: readonly RowResult[], rev: string): string {
  const header = ["benchmark", "ops", "working tree", rev, `ratio (tree/${rev})`];
  const lines = results.map((r) => [r.name, `${r.ops.toLocaleString("en-US")} ${r.unit}`, `${r.runtimeMs.toFixed(1)} ms`, `${r.plainMs.toFixed(1)} ms`, `${(r.runtimeMs / r.plainMs).toFixed(2)}x`]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cols: string[]) => cols.map((col, c) => (c === 0 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}
