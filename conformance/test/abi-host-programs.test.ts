// The program vectors (conformance.md §6.5) on handle-ABI modules through the
// TypeScript host (ts-runtime/src/abi-host): the modules the Go bridge's tests
// run too (go-host/bridge/testdata/programs, emitted from the same .ir files
// by testdata/regen.ts, with each program's IR beside it as .pb), so both
// hosts answer the same binaries.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { programFromBinary, programToBinary } from "../../compiler3-emit/src/ir/binary.ts";
import { loadProgram } from "../../compiler3-emit/src/ir/load.ts";
import { emitHandleAbi } from "../../compiler3-emit/src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { judgeProgram } from "../runner/program-judge.ts";
import { programOutcome } from "../runner/program-outcome.ts";
import { isProblem, loadVectorFile } from "../runner/vector-files.ts";

const PROGRAMS = fileURLToPath(new URL("../programs/", import.meta.url));
const MODULES = fileURLToPath(new URL("../../go-host/bridge/testdata/programs/", import.meta.url));

/** The .ir files regen.ts emits, relative to conformance/programs/. */
function irFiles(): string[] {
  return ["corpus", "heap", "traps", "runaway"].flatMap((d) => readdirSync(join(PROGRAMS, d)).filter((f) => f.endsWith(".ir")).sort().map((f) => `${d}/${f}`));
}

describe("the committed handle-ABI modules are what the emitter emits now", () => {
  it.each(irFiles())("%s", (rel) => {
    const { program } = loadProgram(rel, readFileSync(join(PROGRAMS, rel)));
    const base = rel.replace(/\.ir$/, "");
    const stale = "stale: regenerate with `npx node go-host/bridge/testdata/regen.ts`";
    expect(Buffer.from(emitHandleAbi(program, { optimize: true })).equals(readFileSync(join(MODULES, `${base}.wasm`))), `${base}.wasm ${stale}`).toBe(true);
    expect(Buffer.from(programToBinary(program)).equals(readFileSync(join(MODULES, `${base}.pb`))), `${base}.pb ${stale}`).toBe(true);
  });
});

describe("program vectors on committed handle-ABI modules, TypeScript host", () => {
  it.each(["traps.json", "heap.json", "corpus.json"])("%s", (file) => {
    const loaded = loadVectorFile(join(PROGRAMS, file));
    if (isProblem(loaded) || loaded.kind !== "program") throw new Error(`${file}: cannot load`);
    const compiled = new Map<string, HandleAbiProgram>();
    const failures: string[] = [];
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
      else failures.push(`${v.name}: ${verdict.detail}`);
    }
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
