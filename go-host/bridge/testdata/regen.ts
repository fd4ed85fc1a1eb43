// Regenerates go-host/bridge/testdata/programs/: every program of
// conformance/programs/{corpus,heap,traps,runaway,depth,tailcall,strings-large,host}/*.ir emitted as a handle-ABI
// module (compiler3-emit/src/handleabi, with binaryen's optimiser), under
// the same relative path with .wasm for .ir, and the program itself as
// binary protobuf (.pb, vm3.v1.Program) beside it. The Go tests and benchmarks of
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
for (const dir of ["corpus", "heap", "traps", "runaway", "depth", "tailcall", "strings-large", "host"]) {
  mkdirSync(join(out, dir), { recursive: true });
  for (const f of readdirSync(join(programs, dir)).sort()) {
    if (!f.endsWith(".ir")) continue;
    const { program } = loadProgram(f, readFileSync(join(programs, dir, f)));
    writeFileSync(join(out, dir, f.replace(/\.ir$/, ".wasm")), emitHandleAbi(program, { optimize: true }));
    writeFileSync(join(out, dir, f.replace(/\.ir$/, ".pb")), programToBinary(program));
  }
}
