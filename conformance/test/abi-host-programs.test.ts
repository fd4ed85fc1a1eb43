// The program vectors (conformance.md §6.5) on handle-ABI modules through the
// TypeScript host (ts-runtime/src/abi-host): the modules the Go bridge's tests
// run too (go-host/bridge/testdata/programs, emitted from the same .ir files
// by testdata/regen.ts, with each program's IR beside it as .pb), so both
// hosts answer the same binaries.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { programFromBinary } from "../../compiler3-emit/src/ir/binary.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { judgeProgram } from "../runner/program-judge.ts";
import { programOutcome } from "../runner/program-outcome.ts";
import { isProblem, loadVectorFile } from "../runner/vector-files.ts";

const PROGRAMS = fileURLToPath(new URL("../programs/", import.meta.url));
const MODULES = fileURLToPath(new URL("../../go-host/bridge/testdata/programs/", import.meta.url));

// Vectors the committed modules get wrong, and why (the Go bridge's
// knownEmitterBugs in go-host/bridge/programs_test.go lists the same):
// struct.new's reference operands are not rooted across its own struct_new
// import, so under AUTO the collection it runs frees them before struct_set
// stores them. Reported, not failed; every other vector must pass.
const KNOWN_EMITTER_BUGS = new Set(["binary_trees-7", "binary_trees-8", "binary_trees-10", "linked_list_reverse-100000", "graph_cycles-1000", "graph_cycles-4096"]);

describe.skipIf(!existsSync(MODULES))("program vectors on committed handle-ABI modules, TypeScript host", () => {
  it.each(["traps.json", "heap.json", "corpus.json"])("%s", (file) => {
    const loaded = loadVectorFile(join(PROGRAMS, file));
    if (isProblem(loaded) || loaded.kind !== "program") throw new Error(`${file}: cannot load`);
    const compiled = new Map<string, HandleAbiProgram>();
    const failures: string[] = [];
    const known: string[] = [];
    let passed = 0;
    for (const v of loaded.file.programs ?? []) {
      const base = v.program!.replace(/\.ir$/, "");
      let program = compiled.get(base);
      if (program === undefined) {
        const ir = programFromBinary(readFileSync(join(MODULES, `${base}.pb`)), `${base}.pb`);
        program = HandleAbiProgram.compile(readFileSync(join(MODULES, `${base}.wasm`)), ir);
        compiled.set(base, program);
      }
      const run = program.runDetailed(v.entry ?? "", v.args ?? []);
      const verdict = judgeProgram(v.expect, programOutcome(run.result));
      run.heap.checkInvariants();
      if (verdict.passed) passed++;
      else if (KNOWN_EMITTER_BUGS.has(v.name ?? "")) known.push(`${v.name}: ${verdict.detail}`);
      else failures.push(`${v.name}: ${verdict.detail}`);
    }
    if (known.length > 0) console.log(`${file}: known emitter bugs:\n  ${known.join("\n  ")}`);
    expect(failures).toEqual([]);
    expect(passed).toBeGreaterThan(0);
  });

  it("a loop that concatenates a new String each iteration keeps its peak live slots bounded under AUTO (frames, not scopes)", () => {
    const base = join(MODULES, "corpus/strings_concat_loop");
    const program = HandleAbiProgram.compile(readFileSync(`${base}.wasm`), programFromBinary(readFileSync(`${base}.pb`)));
    const run = program.runDetailed("", [20_000n]);
    expect(run.result).toEqual({ kind: "ok", value: { type: "i64", i64: 20_001n } });
    // AUTO collects every max(1024, live) allocations: about 1024 Strings at once, not 20,001.
    expect(run.peakLiveSlots).toBeGreaterThan(1000);
    expect(run.peakLiveSlots).toBeLessThan(1100);
    expect(run.heap.stats().frameRoots).toBe(0);
  });
});
