// The runtime's benchmarks: `npm run bench` (node ts-runtime/bench/main.ts).
// Each row is timed against the same work on plain JS objects/arrays; the
// table shows medians of interleaved rounds and the time ratio runtime/plain.
import { allocRows } from "./alloc.bench.ts";
import { collectRows } from "./collect.bench.ts";
import { formatTable, runRows } from "./harness.ts";
import { listRows } from "./list.bench.ts";
import { structRows } from "./struct.bench.ts";

const ROUNDS = 7;

const rows = [...allocRows, ...structRows, ...listRows, ...collectRows()];
const results = runRows(rows, ROUNDS);
console.log(`vm3 ts-runtime, Node ${process.version}, median of ${ROUNDS} interleaved rounds`);
console.log(formatTable(results));
// Peak resident set size of the whole run (runtime and plain JS rows alike),
// as the OS counts it.
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
