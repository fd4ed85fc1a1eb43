// Reused instances (embedding.md §7.4) on the TypeScript host: every program
// vector of traps.json, heap.json and corpus.json, run in file order on one
// ProgramInstance per program and heap policy, gives what a fresh run gives
// and leaves no frame or scope open — the twin of go-host/bridge's
// TestReusedInstanceVectors, on the same committed modules.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { programFromBinary } from "../../compiler3-emit/src/ir/binary.ts";
import { HandleAbiProgram, type HeapPolicy, type ProgramInstance } from "../../ts-runtime/src/abi-host/index.ts";
import { judgeProgram } from "../runner/program-judge.ts";
import { programOutcome } from "../runner/program-outcome.ts";
import { isProblem, loadVectorFile } from "../runner/vector-files.ts";

const PROGRAMS = fileURLToPath(new URL("../programs/", import.meta.url));
const MODULES = fileURLToPath(new URL("../../go-host/bridge/testdata/programs/", import.meta.url));
const POLICIES: readonly HeapPolicy[] = ["keep", "reset"];

function compiled(base: string): HandleAbiProgram {
  const ir = programFromBinary(readFileSync(join(MODULES, `${base}.pb`)), `${base}.pb`);
  return HandleAbiProgram.compile(readFileSync(join(MODULES, `${base}.wasm`)), ir);
}

describe("program vectors on reused instances, TypeScript host", () => {
  it.each(["traps.json", "heap.json", "corpus.json"])("%s", (file) => {
    const loaded = loadVectorFile(join(PROGRAMS, file));
    if (isProblem(loaded) || loaded.kind !== "program") throw new Error(`${file}: cannot load`);
    const instances = new Map<string, ProgramInstance>();
    const failures: string[] = [];
    let passed = 0;
    for (const v of loaded.file.programs ?? []) {
      const base = v.program!.replace(/\.ir$/, "");
      for (const policy of POLICIES) {
        let instance = instances.get(`${base} ${policy}`);
        if (instance === undefined) {
          instance = compiled(base).instantiate();
          instances.set(`${base} ${policy}`, instance);
        }
        const run = instance.run(v.entry ?? "", v.args ?? [], policy);
        const verdict = judgeProgram(v.expect, programOutcome(run.result));
        run.heap.checkInvariants();
        if (run.heap.openFrames !== 0 || run.heap.openScopes !== 0) failures.push(`${v.name} (${policy}): ${run.heap.openFrames} frames, ${run.heap.openScopes} scopes open`);
        if (verdict.passed) passed++;
        else failures.push(`${v.name} (${policy}): ${verdict.detail}`);
      }
    }
    expect(failures).toEqual([]);
    expect(passed).toBeGreaterThan(0);
  });
});

describe("a kept heap stays bounded", () => {
  it("30 calls of binary_trees leave what vm3_init left, and so does an OUT_OF_MEMORY deep in make's recursion", () => {
    const instance = compiled("heap/binary_trees").instantiate({ variant: "auto", maxSlotsPerArena: 5000 });
    const heap = instance.heap;
    heap.collect();
    const base = heap.liveSlots();
    const settled = (what: string) => {
      expect([heap.openFrames, heap.openScopes], what).toEqual([0, 0]);
      heap.collect();
      expect(heap.liveSlots(), what).toBe(base);
    };
    for (let k = 0; k < 30; k++) {
      const run = instance.run("", [8n], "keep");
      expect(run.result.kind).toBe("ok");
      expect(run.heap).toBe(heap);
      settled(`after call ${k}`);
    }
    const trapped = instance.run("", [12n], "keep");
    expect(trapped.result).toMatchObject({ kind: "trap", name: "OUT_OF_MEMORY" });
    expect(trapped.peakLiveSlots).toBeGreaterThan(4000);
    settled("after the trap");
    expect(instance.run("", [6n], "keep").result.kind).toBe("ok");
  });

  it("reset starts every call on a fresh heap; keep reports the call's own peak", () => {
    const instance = compiled("heap/binary_trees").instantiate();
    const first = instance.run("", [6n], "reset");
    const second = instance.run("", [6n], "reset");
    expect(second.heap).not.toBe(first.heap);
    expect(second.peakLiveSlots).toBe(first.peakLiveSlots);
    expect(second.heap.stats().slotsFreed).toBe(first.heap.stats().slotsFreed);
    const big = instance.run("", [10n], "keep");
    expect(big.heap).toBe(second.heap);
    big.heap.collect();
    const small = instance.run("", [6n], "keep");
    expect(big.peakLiveSlots).toBeGreaterThan(2 * first.peakLiveSlots);
    expect(small.peakLiveSlots).toBeLessThan(big.peakLiveSlots / 2);
    expect(() => instance.run("", [1n], "sideways" as HeapPolicy)).toThrow(/heap policy sideways/);
  });
});
