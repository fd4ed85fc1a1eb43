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
// only the runtime table.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { allocRows } from "./alloc.bench.ts";
import { collectRows } from "./collect.bench.ts";
import { formatTable, runRows } from "./harness.ts";
import { listRows } from "./list.bench.ts";
import { structRows } from "./struct.bench.ts";

const ROUNDS = 7;

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--programs" && a !== "--runtime");
if (unknown.length > 0 || args.length > 1) {
  console.error(`usage: node ts-runtime/bench/main.ts [--programs | --runtime] (got ${args.join(" ")})`);
  process.exit(2);
}
const only = args[0];

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
