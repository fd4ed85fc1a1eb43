// `vm3 emit PROG --target wasmgc|handle-abi [-O] -o OUT`: compiles a valid
// program to a module file; `vm3 emit PROG --bindings DIR`: its typed JS API
// (bindings.ts).
import type { Command } from "./io.ts";
import { Exit, isHelp, usageError } from "./io.ts";
import { readValidProgram } from "./read-program.ts";
import { emitForCli, type Target, TARGETS } from "./targets.ts";

export const emitCommand: Command = {
  name: "emit",
  summary: "compile a program to a WebAssembly GC or handle-ABI module",
  help: `usage: vm3 emit PROG --target wasmgc|handle-abi [-O] -o OUT
       vm3 emit PROG --bindings DIR [--name NAME] [-O]

Validates PROG (ir.md §8.11; violations as 'vm3 validate' prints them) and
compiles it for a target:
  --target wasmgc      a WebAssembly GC module (.wasm, vm3-spec/wasmgc.md)
                       that exports each function that can be an entry
                       (ir.md §8.9) under its name
  --target handle-abi  plain Wasm 2.0 importing the vm3 heap operations
                       (vm3-spec/handle-abi.md), for hosts without WasmGC
                       (wazero: go-host's vm3-go run)
  -O                run binaryen's optimiser on the module
  -o OUT            the file to write; it is replaced only once the module is
                    complete (written beside it, then renamed)
  --bindings DIR    the typed JS API (vm3-spec/bindings.md), written into DIR
                    (made if missing; its parent must exist): NAME.js (import { instantiate }),
                    NAME.d.ts (a type per struct shape, the functions typed
                    from the IR), both modules with every function exported
                    (NAME.wasmgc.wasm, NAME.handle-abi.wasm: WasmGC where the
                    engine can run it, else the handle ABI on the TypeScript
                    heap) and the runtime they import (vm3-bindings.js, .d.ts);
                    runs in Node and in browsers
  --name NAME       the module's name (default PROG's base name)
A one-line summary (the size in bytes) goes to stderr. A program with a
function of more than 1,000 values or blocks is compiled in a worker thread
with a 256 MiB stack (binaryen recurses on the program's structure,
wasmgc.md §9.7); VM3_COMPILE_STACK_MB=N in the environment sends every
program there, with an N MiB stack. A failure inside binaryen is one line
naming the program's largest function.
Known targets: ${TARGETS.join(", ")}.

Exit status: 0 ok, 1 invalid, unreadable or uncompilable program or a write
error, 2 usage error.
`,
  async run(args, io) {
    let target: Target | undefined;
    let optimize = false;
    let out: string | undefined;
    let bindings: string | undefined;
    let name: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (isHelp(a)) {
        io.out(this.help);
        return Exit.OK;
      }
      if (a === "--target" || a.startsWith("--target=")) {
        const t = a === "--target" ? args[++i] : a.slice("--target=".length);
        if (t === undefined) return usageError(io, this, `--target needs a value (known targets: ${TARGETS.join(", ")})`);
        if (!(TARGETS as readonly string[]).includes(t)) {
          return usageError(io, this, `unknown target "${t}" (known targets: ${TARGETS.join(", ")})`);
        }
        target = t as Target;
      } else if (a === "--bindings" || a === "--name") {
        const v = args[++i];
        if (v === undefined || v === "") return usageError(io, this, `${a} needs a value`);
        if (a === "--bindings") bindings = v;
        else if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v)) return usageError(io, this, `--name ${v}: a module name is letters, digits, _ . - (a file name)`);
        else name = v;
      } else if (a === "-O") {
        optimize = true;
      } else if (a === "-o") {
        out = args[++i];
        if (out === undefined) return usageError(io, this, "-o needs a file name");
      } else if (a.startsWith("-")) {
        return usageError(io, this, `unknown flag ${a}`);
      } else {
        files.push(a);
      }
    }
    if (files.length !== 1) return usageError(io, this, files.length === 0 ? "missing PROG" : "one PROG expected");
    if (bindings !== undefined) {
      if (target !== undefined || out !== undefined) return usageError(io, this, "--bindings writes both targets' modules into DIR: no --target or -o with it");
      const loaded = readValidProgram(io, files[0]!);
      if (loaded === undefined) return Exit.ERROR;
      const { bindingName, writeBindings } = await import("./bindings.ts");
      return (await writeBindings(io, files[0]!, loaded.program, bindings, name ?? bindingName(files[0]!), optimize)) ? Exit.OK : Exit.ERROR;
    }
    if (name !== undefined) return usageError(io, this, "--name goes with --bindings");
    if (target === undefined) return usageError(io, this, `missing --target (known targets: ${TARGETS.join(", ")})`);
    if (out === undefined) return usageError(io, this, "missing -o OUT (the module is binary)");
    const file = files[0]!;
    const loaded = readValidProgram(io, file);
    if (loaded === undefined) return Exit.ERROR;
    const binary = await emitForCli(io, file, loaded.program, optimize, target);
    if (binary === undefined) return Exit.ERROR;
    try {
      io.replaceFile(out, binary);
    } catch (e) {
      io.err(`vm3 emit: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return Exit.ERROR;
    }
    io.err(`vm3 emit: wrote ${out}: ${binary.length} bytes (${target}${optimize ? ", optimized" : ""})\n`);
    return Exit.OK;
  },
};
