// The IR → handle-ABI emitter, end to end under Node with the TypeScript
// heap answering its imports (ts-runtime/src/abi-host): every program vector
// at -O0 and -O, and the rooting proof of handle-abi.md §10.5 — binary_trees
// under AUTO collection keeps its live slots bounded by the live tree, and
// the same module built without frames traps STALE_HANDLE as soon as a
// collection frees a node the guest still holds.
//
// The same proof at a depth that allocates tens of millions of nodes is
// `npm run bench:roots` (compiler3-emit/bench/roots.bench.ts).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadProgram } from "../src/ir/load.ts";
import type { Program } from "../src/ir/model.ts";
import { validate } from "../src/ir/validate.ts";
import { emitHandleAbi, emitHandleAbiModule } from "../src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import * as hostLibrary from "../../conformance/host/library.ts";
import { inWorker, shown, shownOutcome, vectorHeap, wanted, workerOutcome, type Vector } from "./program-vectors.ts";

const DIR = join(import.meta.dirname, "../../conformance/programs");

function load(file: string): Program {
  const { program } = loadProgram(file, readFileSync(file));
  expect(validate(program)).toEqual([]);
  return program;
}

const compiled = new Map<string, HandleAbiProgram>();
function compile(file: string, optimize: boolean): HandleAbiProgram {
  const key = `${file}:${optimize}`;
  let p = compiled.get(key);
  if (p === undefined) {
    const program = load(file);
    p = HandleAbiProgram.compile(emitHandleAbi(program, { optimize }), program);
    compiled.set(key, p);
  }
  return p;
}

for (const optimize of [false, true]) {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()) {
    const file = join(DIR, name);
    const vf = JSON.parse(readFileSync(file, "utf8")) as { suite: string; programs: Vector[] };
    describe(`${vf.suite} as handle-ABI modules under Node, ${optimize ? "-O" : "-O0"}`, () => {
      test.each(vf.programs.map((v) => [v.name, v] as const))("%s", async (_n, v) => {
        if (inWorker(v)) {
          const program = load(join(dirname(file), v.program));
          expect(shownOutcome(await workerOutcome("handle-abi", program, emitHandleAbi(program, { optimize }), v))).toEqual(wanted(v.expect));
          return;
        }
        const p = compile(join(dirname(file), v.program), optimize);
        // Every program vector runs against the conformance host library (host.md §11.5).
        const r = p.run(v.entry ?? "", (v.args ?? []).map((a) => BigInt(a)), vectorHeap(v), hostLibrary);
        expect(shown(r)).toEqual(wanted(v.expect));
      });
    });
  }
}

describe("frames root the guest's Cells under AUTO (handle-abi.md §10.5)", () => {
  const program = load(join(DIR, "heap/binary_trees.ir"));
  /** ir: the live tree never exceeds the stretch tree, 2^(M+2) - 1 nodes; AUTO collects once allocations reach max(1024, live after the last collection). */
  const bound = (m: number) => 2 * 2 ** (m + 2) + 1024;

  test("binary_trees(12): result right, peak live slots within twice the live tree, most nodes collected", () => {
    const p = HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true }), program);
    const run = p.runDetailed("", [12n], { variant: "auto" });
    expect(run.result).toEqual({ kind: "ok", value: { type: "i64", i64: 674_478n } });
    const stats = run.heap.stats();
    expect(run.peakLiveSlots).toBeLessThanOrEqual(bound(12));
    expect(stats.slotsFreed).toBeGreaterThan(10 * run.peakLiveSlots);
    expect(stats.collections).toBeGreaterThan(10);
  });

  test("without frames the same module traps STALE_HANDLE at the first collection that frees a held node", () => {
    const p = HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true, rooting: false }), program);
    const run = p.runDetailed("", [12n], { variant: "auto" });
    expect(run.result).toMatchObject({ kind: "trap", name: "STALE_HANDLE" });
    // MINIMAL never collects while the guest runs: unrooted is then correct.
    expect(p.run("", [12n], { variant: "minimal" })).toEqual({ kind: "ok", value: { type: "i64", i64: 674_478n } });
  });

  test("a function that holds no Cell across a call opens no frame", () => {
    const m = emitHandleAbiModule(load(join(DIR, "corpus/fib_rec.ir")));
    try {
      expect(m.emitText()).not.toMatch(/frame_enter/);
    } finally {
      m.dispose();
    }
    const bt = emitHandleAbiModule(program);
    try {
      expect(bt.emitText()).toMatch(/frame_enter/);
    } finally {
      bt.dispose();
    }
  });
});
