// arenas.md §2.7: the TS heap's live V8 memory per accounted byte stays within
// REAL_BYTES_FACTOR for every shape of every arena. The measurement needs
// --expose-gc and a heap of its own, so it runs in a child Node.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import type { Footprint } from "../bench/real-bytes.ts";
import { DEFAULT_HEAP_BYTES, REAL_BYTES_FACTOR } from "../src/heap-config.ts";

const SCRIPT = fileURLToPath(new URL("../bench/real-bytes.ts", import.meta.url));

test("every arena's shapes cost at most REAL_BYTES_FACTOR real bytes per accounted byte", () => {
  const out = execFileSync(process.execPath, ["--expose-gc", SCRIPT, "--json", "--mib", "4"], { encoding: "utf8" });
  const rows = JSON.parse(out) as Footprint[];
  expect(rows.length).toBeGreaterThanOrEqual(13);
  const over = rows.filter((r) => r.factor > REAL_BYTES_FACTOR).map((r) => `${r.shape}: ${r.factor.toFixed(2)}`);
  expect(over, `above arenas.md §2.7's ${REAL_BYTES_FACTOR}`).toEqual([]);
  // Every measured shape really allocated: a factor near 0 would mean the
  // measurement saw nothing (the heap was collected before it).
  for (const r of rows) expect(r.factor, r.shape).toBeGreaterThan(0.9);
}, 60_000);

test("the default limit times the factor stays below Node's default V8 heap limit", async () => {
  const { getHeapStatistics } = await import("node:v8");
  expect(DEFAULT_HEAP_BYTES * REAL_BYTES_FACTOR).toBeLessThan(getHeapStatistics().heap_size_limit);
});
