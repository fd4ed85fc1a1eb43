// Regenerates go-host/bridge/testdata/programs/: every program of
// conformance/programs/{corpus,heap,traps,runaway,depth,tailcall,strings-large,host}/*.ir emitted as a handle-ABI
// module (compiler3-emit/src/handleabi, with binaryen's optimiser), under
// the same relative path with .wasm for .ir, and the program itself as
// binary protobuf (.pb, vm3.v1.Program) beside it; and the same for the
// cycles benchmark's program (compiler3-emit/bench/cycles/cycles.ir,
// Igalia's m0/m1) as cycles/cycles.{wasm,pb}, which the bridge's weak host
// edges test and `vm3-go bench-cycles` run. The Go tests and benchmarks of
// go-host/bridge run these; the conformance runner emits its own.
//
//   npx node go-host/bridge/testdata/regen.ts
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emitHandleAbi } from "../../../compiler3-emit/src/handleabi/emit.ts";
import { programToBinary } from "../../../compiler3-emit/src/ir/binary.ts";
import { loadProgram } from "../../../compiler3-emit/src/ir/load.ts";

const programs = fileURLToPath(new URL("../../../conformance/programs/", import.meta.url));
const out = fileURLToPath(new URL("./programs/", import.meta.url));
const sources: [dir: string, from: string][] = ["corpus", "heap", "traps", "runaway", "depth", "tailcall", "strings-large", "host"].map((d) => [d, join(programs, d)]);
sources.push(["cycles", fileURLToPath(new URL("../../../compiler3-emit/bench/cycles/", import.meta.url))]);
for (const [dir, from] of sources) {
  mkdirSync(join(out, dir), { recursive: true });
  for (const f of readdirSync(from).sort()) {
    if (!f.endsWith(".ir")) continue;
    const { program } = loadProgram(f, readFileSync(join(from, f)));
    writeFileSync(join(out, dir, f.replace(/\.ir$/, ".wasm")), emitHandleAbi(program, { optimize: true }));
    writeFileSync(join(out, dir, f.replace(/\.ir$/, ".pb")), programToBinary(program));
  }
}
