// The benchmarks: `npm run bench` (node ts-runtime/bench/main.ts).
//
// 1. The runtime table: each row is timed against the same work on plain JS
//    objects/arrays; medians of interleaved rounds and the time ratio
//    runtime/plain.
// 2. The programs table (compiler3-emit/bench/programs.bench.ts): IR kernels
//    as emitted WasmGC, in the reference interpreter and as hand-written JS.
//    It runs in a child process so that each table's peak RSS is its own.
//
// `npm run bench -- --programs` runs only the programs table, `-- --runtime`
// only the runtime table, and `-- --against REV` the runtime table's rows of
// commit REV's heap alternately with the working tree's (against.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { allocRows } from "./alloc.bench.ts";
import { collectRows } from "./collect.bench.ts";
import { formatTable, runRows } from "./harness.ts";
import { listRows } from "./list.bench.ts";
import { structRows } from "./struct.bench.ts";

const ROUNDS = 7;

const USAGE = "usage: node ts-runtime/bench/main.ts [--programs | --runtime | --against REV]";
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(`${USAGE}
  (none)         the runtime table (the heap against plain JS objects), then the programs table
  --runtime      the runtime table only
  --programs     the programs table only (compiler3-emit/bench/programs.bench.ts)
  --against REV  the runtime table's rows of commit REV's heap, timed alternately with
                 the working tree's in this process: the ratio tree/REV per row`);
  process.exit(0);
}
const againstAt = args.indexOf("--against");
const againstRev = againstAt < 0 ? undefined : args[againstAt + 1];
const rest = againstAt < 0 ? args : args.filter((_, i) => i !== againstAt && i !== againstAt + 1);
const unknown = rest.filter((a) => a !== "--programs" && a !== "--runtime");
if (unknown.length > 0 || rest.length > 1 || (againstAt >= 0 && (againstRev === undefined || againstRev.startsWith("-") || rest.length > 0))) {
  console.error(`${USAGE} (got ${args.join(" ")})`);
  process.exit(2);
}
const only = rest[0];

if (againstRev !== undefined) {
  const { formatAgainst, resolveRev, runAgainst } = await import("./against.ts");
  const commit = resolveRev(againstRev);
  if (commit === undefined) process.exit(2);
  const { results, onlyHere, onlyThere } = await runAgainst(commit, ROUNDS, [...allocRows, ...structRows, ...listRows, ...collectRows()]);
  console.log(`vm3 ts-runtime, working tree against ${againstRev} (${commit.slice(0, 12)}), Node ${process.version}, median of ${ROUNDS} interleaved rounds`);
  console.log(formatAgainst(results, againstRev));
  if (onlyHere.length > 0) console.log(`only in the working tree: ${onlyHere.join(", ")}`);
  if (onlyThere.length > 0) console.log(`only in ${againstRev}: ${onlyThere.join(", ")}`);
  process.exit(0);
}

if (only !== "--programs") {
  const rows = [...allocRows, ...structRows, ...listRows, ...collectRows()];
  const results = runRows(rows, ROUNDS);
  console.log(`vm3 ts-runtime, Node ${process.version}, median of ${ROUNDS} interleaved rounds`);
  console.log(formatTable(results));
  // Peak resident set size of the whole run (runtime and plain JS rows alike),
  // as the OS counts it.
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

if (only !== "--runtime") {
  if (only !== "--programs") console.log("");
  const script = fileURLToPath(new URL("../../compiler3-emit/bench/programs.bench.ts", import.meta.url));
  const child = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (child.error !== undefined) throw child.error;
  process.exitCode = child.status ?? 1;
}
