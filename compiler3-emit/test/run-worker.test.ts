// The run protocol (compiler3-emit/src/run, embedding.md §7.2) on
// worker_threads: results and heap counters as the in-thread engines give
// them, the time limit ending a runaway on every engine, a usable runner
// after a timeout, and failures that name what went wrong.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { loadProgram } from "../src/ir/load.ts";
import { nodeRunner } from "../src/run/node-runner.ts";
import type { RunEngine, RunRequest } from "../src/run/request.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";

const PROGRAMS = join(import.meta.dirname, "../../conformance/programs");
const load = (rel: string) => loadProgram(rel, readFileSync(join(PROGRAMS, rel))).program;
const trees = load("heap/binary_trees.ir");
const runaway = load("runaway/runaway.ir");

function request(engine: RunEngine, rel: "trees" | "runaway", entry: string, args: bigint[]): RunRequest {
  const program = rel === "trees" ? trees : runaway;
  const binary = engine === "wasmgc" ? emitWasmGc(program, { optimize: true }) : engine === "handle-abi" ? emitHandleAbi(program, { optimize: true }) : undefined;
  return { engine, key: rel, program, ...(binary === undefined ? {} : { binary }), entry, args };
}

const runner = nodeRunner();
afterAll(() => runner.close());

describe.each(["interp", "wasmgc", "handle-abi"] as const)("%s in a worker", (engine) => {
  test("binary_trees(10) = 135854, with the heap's counters where the heap is ours", async () => {
    const out = await runner.run(request(engine, "trees", "", [10n]), 60_000);
    expect(out.kind).toBe("finished");
    if (out.kind !== "finished") return;
    expect(out.result).toEqual({ kind: "ok", value: { type: "i64", i64: 135854n } });
    if (engine === "wasmgc") {
      expect(out.heap).toBeUndefined(); // the engine's heap: nothing to count
    } else {
      expect(out.heap!.collections).toBeGreaterThan(0);
      expect(out.heap!.peakLiveSlots).toBeGreaterThanOrEqual(out.heap!.liveSlots);
      expect(out.heap!.peakLiveSlots).toBeGreaterThan(1000);
    }
  });

  test("a loop that never ends is a timeout at the limit; the next run gets a fresh worker and works", async () => {
    const t0 = performance.now();
    const out = await runner.run(request(engine, "runaway", "spin", [0n]), 300);
    expect(out).toMatchObject({ kind: "timeout", limitMs: 300 });
    if (out.kind === "timeout") expect(out.afterMs).toBeGreaterThanOrEqual(299);
    expect(performance.now() - t0).toBeLessThan(30_000);
    const after = await runner.run(request(engine, "runaway", "finite", [10n]), 30_000);
    expect(after).toMatchObject({ kind: "finished", result: { kind: "ok", value: { i64: 55n } } });
  });

  test("an unknown entry is refused (ir.md §8.9), not a trap", async () => {
    const out = await runner.run(request(engine, "trees", "nope", []), 30_000);
    expect(out).toMatchObject({ kind: "refused", message: expect.stringMatching(/no function named nope/) });
  });
});

test("a module the engine rejects fails the run with the engine's reason", async () => {
  const bad = { ...request("wasmgc", "trees", "", [1n]), key: "garbage", binary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) };
  await expect(runner.run(bad, 10_000)).rejects.toThrow(/CompileError/);
  expect((await runner.run(request("interp", "runaway", "finite", [3n]), 10_000)).kind).toBe("finished");
});

test("a non-positive limit is a RangeError", () => {
  expect(() => runner.run(request("interp", "runaway", "finite", [1n]), 0)).toThrow(RangeError);
});

test("Heap.peakLiveSlots (sampled before frees and collections) equals the handle-ABI host's per-allocation peak", () => {
  const run = HandleAbiProgram.compile(emitHandleAbi(trees, { optimize: true }), trees).runDetailed("", [12n]);
  expect(run.result).toMatchObject({ kind: "ok" });
  expect(run.heap.peakLiveSlots()).toBe(run.peakLiveSlots);
});
