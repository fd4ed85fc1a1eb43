// The Go side of the benchmarks: builds go-host/cmd/vm3-go once and runs its
// `bench` subcommand (go-host/cmd/vm3-go/bench.go), which prints one JSON
// object per line — a compile line, then one line per run with its time,
// result and heap counters. Used by programs.bench.ts, ops.bench.ts and
// roots.bench.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** Where the binary and the emitted modules go (git-ignored). */
export const BUILD_DIR = join(REPO, "conformance/.build");
const PACKAGE = "./go-host/cmd/vm3-go";

let built: { path: string } | { error: string } | undefined;

/** Builds vm3-go into conformance/.build (once per process): its path, or why there is none. */
export function vm3Go(): { path: string } | { error: string } {
  if (built !== undefined) return built;
  mkdirSync(BUILD_DIR, { recursive: true });
  const path = join(BUILD_DIR, "vm3-go");
  const r = spawnSync("go", ["build", "-o", path, PACKAGE], { cwd: REPO, encoding: "utf8" });
  if (r.error !== undefined) built = { error: `cannot run go (${r.error.message}): is Go installed and on PATH?` };
  else if (r.status !== 0) built = { error: `go build ${PACKAGE} failed: ${r.stderr.trim().split("\n")[0]}` };
  else built = { path };
  return built;
}

/** Writes an emitted module where vm3-go can read it; returns the path. */
export function writeModule(name: string, binary: Uint8Array): string {
  const dir = join(BUILD_DIR, "bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, binary);
  return path;
}

/** A run's result as vm3-go bench prints it. */
export type GoResult =
  | { type: "i64"; i64: string }
  | { type: "f64"; bits: string }
  | { type: "bool"; bool: boolean }
  | { type: "str"; str: string }
  | { type: "unit" }
  | { trap: string; code: number; op: string; detail: string };

/** One line of vm3-go bench output (bench.go's benchLine). */
export interface GoLine {
  compiled?: string;
  engine?: string;
  compile_ms?: number;
  run?: "wazero" | "go" | "heap";
  round?: number;
  warmup?: boolean;
  ms?: number;
  result?: GoResult;
  peak_live_slots?: number;
  live_slots?: number;
  collections?: number;
  slots_freed?: number;
  heap_bytes?: number;
  ops?: number;
  ns_per_op?: number;
  /** With --calls N: the calls of the run, and its time per call. */
  calls?: number;
  us_per_call?: number;
  /** The last line: the vm3-go process's peak RSS (getrusage), where the platform reports it. */
  peak_rss_mib?: number;
  /** With --reuse: the line of the one instantiation. */
  instantiated?: string;
  instantiate_ms?: number;
}

/** Runs `vm3-go bench ARGS…`: its lines, or why it failed. */
export function goBench(args: readonly string[], timeoutMs = 600_000): GoLine[] | string {
  const go = vm3Go();
  if ("error" in go) return go.error;
  const r = spawnSync(go.path, ["bench", ...args], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.error !== undefined) return `vm3-go bench: ${r.error.message}`;
  if (r.status !== 0) return `vm3-go bench exited ${r.status ?? r.signal}: ${r.stderr.trim().split("\n")[0]}`;
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as GoLine);
}
