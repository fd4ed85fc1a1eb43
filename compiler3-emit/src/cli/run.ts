// `vm3 run PROG [--backend interp|wasmgc|handle-abi] [--entry NAME] [-O0] [--timeout SEC]
//   [--max-slots N] [--max-bytes N] [--variant auto|minimal|stub] [--host FILE] [-- ARGS…]`:
// runs one entry of a valid program and prints its result as ir.md §8.9
// reports results, or the trap.
import { parseInt64 } from "../ir/literals.ts";
import { resultText } from "../run/result-text.ts";
import { type Func, type Program, resultType, Type } from "../ir/model.ts";
import { typeText } from "../ir/types.ts";
import { type RunResult, RunUsageError } from "../../../ts-runtime/src/interp/run.ts";
import { TrapCode } from "../../../ts-runtime/src/trap.ts";
import type { Command } from "./io.ts";
import { Exit, isHelp, usageError } from "./io.ts";
import { readValidProgram } from "./read-program.ts";
import { emitForCli } from "./targets.ts";
import type { RunOutcome } from "../run/request.ts";
import { getHeapStatistics } from "node:v8";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_HEAP_BYTES, type HeapConfig, REAL_BYTES_FACTOR } from "../../../ts-runtime/src/heap-config.ts";

const BACKENDS = ["interp", "wasmgc", "handle-abi"] as const;
type Backend = (typeof BACKENDS)[number];

/** V8 heap kept free beside a heap at its byte limit: the program, the interpreter or module, their garbage. */
const HEAP_MARGIN_MB = 512;

/** ir.md §8.9: the result types an entry may have. */
const ENTRY_RESULTS: readonly number[] = [Type.I64, Type.F64, Type.BOOL, Type.STR, Type.UNIT];

export const runCommand: Command = {
  name: "run",
  summary: "run a program's entry and print its result (interpreter, WasmGC or handle ABI)",
  help: `usage: vm3 run PROG [--backend interp|wasmgc|handle-abi] [--entry NAME] [-O0] [--timeout SEC]
              [--max-slots N] [--max-bytes N] [--variant auto|minimal|stub] [--host FILE]
              [ARGS…] [-- ARGS…]

Validates PROG (ir.md §8.11; violations as 'vm3 validate' prints them), runs
its entry function (or NAME) with ARGS, one decimal int64 per parameter, on a
fresh heap, and prints the result on stdout (ir.md §8.9), then a newline:
  i64    in decimal
  f64    as an f64 literal of ir-text.md (shortest round trip, -0, inf,
         -inf; every NaN is the canonical NaN, printed nan)
  bool   true or false
  str    its text
  unit   nothing (not even the newline)
A trap prints "trap NAME (code N)" on stderr, with the site (func, block,
value) when the backend knows it, and exits 1.

  --backend interp   the reference interpreter (default)
  --backend wasmgc   compile to WebAssembly GC and run it in this Node
  --backend handle-abi
                     compile to a handle-ABI module and run it in this Node
                     with the TypeScript heap answering its vm3 imports
                     (AUTO collection; go-host's vm3-go runs the same module
                     under wazero)
  --entry NAME       run function NAME instead of the program's entry; its
                     parameters must all be i64 and its result one of the
                     types above (ir.md §8.9)
  -O0                with a compiled backend: skip binaryen's optimiser
  --timeout SEC      end the run after SEC seconds (a decimal, e.g. 0.5):
                     the worker thread every run happens in is terminated
                     at the limit (embedding.md §7.2); prints "timeout after
                     N ms" on stderr and exits 1. Without it the run has no
                     limit.
  --max-slots N      the heap's max_slots_per_arena (default 2^32)
  --max-bytes N      the heap's max_heap_bytes in accounted bytes (default
                     2^28, arenas.md §2.6); reaching it is the trap
                     OUT_OF_MEMORY. The worker's V8 heap limit is raised to
                     ${REAL_BYTES_FACTOR}·N + ${HEAP_MARGIN_MB} MiB where that is above Node's default
                     (arenas.md §2.7), and a note says so on stderr
  --variant V        the collector: auto (default), minimal or stub
                     (collection.md §4.5)
                     These three apply to interp and handle-abi, whose heap
                     is the TypeScript heap; WasmGC's heap is the engine's,
                     which accounts nothing (ir.md §8.10)
  --host FILE        the host library (host.md §11.5): a JavaScript or
                     TypeScript module whose named exports are the functions
                     the program's 'import host @NAME' declarations call.
                     A program with host imports and no library, or with an
                     import the library lacks, is refused (exit 2);
                     conformance/host/library.ts is the one the conformance
                     vectors use. A host function that throws is the trap
                     HOST_ERROR
ARGS after '--' are always arguments; before it, a negative number such as
-5 is an argument too.

Exit status: 0 returned, 1 trapped, timed out, or invalid, unreadable or
uncompilable program, 2 usage error (including a bad or missing argument).
`,
  async run(args, io) {
    let backend: Backend = "interp";
    let entry: string | undefined;
    let optimize = true;
    let timeoutMs: number | undefined;
    let hostLibrary: string | undefined;
    const heap: HeapConfig = { variant: "auto" };
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--") {
        positional.push(...args.slice(i + 1));
        break;
      }
      if (isHelp(a)) {
        io.out(this.help);
        return Exit.OK;
      }
      if (a === "--backend" || a.startsWith("--backend=")) {
        const v = a === "--backend" ? args[++i] : a.slice("--backend=".length);
        if (v === undefined) return usageError(io, this, `--backend needs a value (${BACKENDS.join(", ")})`);
        if (!(BACKENDS as readonly string[]).includes(v)) return usageError(io, this, `--backend ${v}: want ${BACKENDS.join(", ")}`);
        backend = v as Backend;
      } else if (a === "--entry" || a.startsWith("--entry=")) {
        entry = a === "--entry" ? args[++i] : a.slice("--entry=".length);
        if (entry === undefined || entry === "") return usageError(io, this, "--entry needs a function name");
      } else if (a === "--timeout" || a.startsWith("--timeout=")) {
        const v = a === "--timeout" ? args[++i] : a.slice("--timeout=".length);
        const sec = v === undefined || !/^[0-9]+(\.[0-9]+)?$/.test(v) ? NaN : Number(v);
        if (!(sec > 0) || sec * 1000 > 2 ** 31 - 1) return usageError(io, this, `--timeout needs a positive number of seconds up to ${Math.floor((2 ** 31 - 1) / 1000)}, got ${v ?? "nothing"}`);
        timeoutMs = Math.ceil(sec * 1000);
      } else if (a === "--max-slots" || a.startsWith("--max-slots=") || a === "--max-bytes" || a.startsWith("--max-bytes=")) {
        const flag = a.startsWith("--max-slots") ? "--max-slots" : "--max-bytes";
        const v = a === flag ? args[++i] : a.slice(flag.length + 1);
        const n = v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : NaN;
        if (!(n >= 1) || !Number.isSafeInteger(n)) return usageError(io, this, `${flag} needs a positive integer, got ${v ?? "nothing"}`);
        if (flag === "--max-slots") heap.maxSlotsPerArena = n;
        else heap.maxHeapBytes = n;
      } else if (a === "--variant" || a.startsWith("--variant=")) {
        const v = a === "--variant" ? args[++i] : a.slice("--variant=".length);
        if (v !== "auto" && v !== "minimal" && v !== "stub") return usageError(io, this, `--variant ${v ?? "needs a value"}: want auto, minimal or stub`);
        heap.variant = v;
      } else if (a === "--host" || a.startsWith("--host=")) {
        const v = a === "--host" ? args[++i] : a.slice("--host=".length);
        if (v === undefined || v === "") return usageError(io, this, "--host needs a module file (host.md §11.5)");
        const path = resolve(v);
        if (!existsSync(path)) return usageError(io, this, `--host ${v}: no such file`);
        hostLibrary = pathToFileURL(path).href;
      } else if (a === "-O0") {
        optimize = false;
      } else if (/^-[0-9]/.test(a)) {
        positional.push(a); // a negative argument, not a flag
      } else if (a.startsWith("-")) {
        return usageError(io, this, `unknown flag ${a}`);
      } else {
        positional.push(a);
      }
    }
    if (!optimize && backend === "interp") return usageError(io, this, "-O0 applies only to the compiled backends (wasmgc, handle-abi)");
    const heapFlags = heap.maxSlotsPerArena !== undefined || heap.maxHeapBytes !== undefined || heap.variant !== "auto";
    if (heapFlags && backend === "wasmgc") {
      return usageError(io, this, "--max-slots, --max-bytes and --variant apply to interp and handle-abi: WasmGC's heap is the engine's, which accounts nothing (ir.md §8.10)");
    }
    const [file, ...argTexts] = positional;
    if (file === undefined) return usageError(io, this, "missing PROG");
    const values: bigint[] = [];
    for (const [i, text] of argTexts.entries()) {
      const v = parseInt64(text);
      if (typeof v === "string") return usageError(io, this, `argument ${i + 1}: ${v}`);
      values.push(v);
    }

    const loaded = readValidProgram(io, file);
    if (loaded === undefined) return Exit.ERROR;
    const program = loaded.program;
    const name = entry ?? program.entry;
    const fn = program.functions.find((f) => f.name === name);
    if (fn === undefined) {
      return usageError(io, this, `--entry ${name}: no function named ${name} (functions: ${program.functions.map((f) => f.name).join(", ")})`);
    }
    const shape = entryProblem(program, fn);
    if (shape !== undefined) return usageError(io, this, `--entry ${name}: ${shape}`);
    if (values.length !== fn.params.length) {
      return usageError(io, this, `${signature(program, fn)} takes ${plural(fn.params.length, "argument")}, got ${values.length}`);
    }

    let result: RunResult;
    try {
      let binary: Uint8Array | undefined;
      if (backend !== "interp") {
        binary = await emitForCli(io, file, program, optimize, backend);
        if (binary === undefined) return Exit.ERROR;
      }
      // Always in a worker thread: its stack gives ir.md §8.8's depth with
      // wide frames (Node's main thread has under 1 MiB), and it is what a
      // time limit terminates (embedding.md §7.2).
      const heapMb = workerHeapMb(heap.maxHeapBytes ?? DEFAULT_HEAP_BYTES);
      if (heapMb !== undefined) io.err(`vm3 run: --max-bytes ${heap.maxHeapBytes}: the worker's V8 heap limit is raised to ${heapMb} MiB (arenas.md §2.7)\n`);
      const outcome = await runInWorker({ program, backend, binary, entry: name, args: values, heap, limitMs: timeoutMs ?? NO_LIMIT_MS, heapMb, hostLibrary });
      if (outcome.kind === "timeout") {
        io.err(`timeout after ${Math.round(outcome.afterMs)} ms (limit ${outcome.limitMs} ms)\n`);
        return Exit.ERROR;
      }
      if (outcome.kind === "refused") throw new RunUsageError(outcome.message);
      result = outcome.result;
    } catch (e) {
      // Checked above; a backend's own refusal (ir.md §8.9) is still a usage error.
      if (e instanceof RunUsageError) return usageError(io, this, e.message);
      // The worker failed (an engine error that is no program outcome, a dead worker): one line, no stack.
      io.err(`vm3 run: ${file}: the ${backend} run failed: ${(e as Error).message}\n`);
      return Exit.ERROR;
    }
    if (result.kind === "trap") {
      const site = [result.function === "" ? "" : `func ${result.function}`, result.block < 0 ? "" : `b${result.block}`, result.value < 0 ? "" : `v${result.value}`]
        .filter((p) => p !== "")
        .join(": ");
      io.err(`trap ${result.name} (code ${result.code})${site === "" ? "" : ` at ${site}`}\n`);
      // What the host function said is the only clue to a HOST_ERROR (host.md §11.2).
      if (result.code === TrapCode.HOST_ERROR) io.err(`  ${result.message}\n`);
      return Exit.ERROR;
    }
    // §8.9: a unit result prints nothing, not even the newline.
    if (result.value.type !== "unit") io.out(`${resultText(result.value)}\n`);
    return Exit.OK;
  },
};

/** Why `fn` cannot be an entry (ir.md §8.9), or undefined. */
function entryProblem(program: Program, fn: Func): string | undefined {
  for (const id of fn.params) {
    const t = fn.values[id]!;
    if (t.type !== Type.I64) return `cannot be an entry: parameter v${id} is ${typeText(t, program.structs)}, not i64 (ir.md §8.9)`;
  }
  if (!ENTRY_RESULTS.includes(fn.result)) {
    return `cannot be an entry: its result is ${typeText(resultType(fn), program.structs)}, not i64, f64, bool, str or unit (ir.md §8.9)`;
  }
  return undefined;
}

/** `fib_rec(v0: i64)`: names the parameters a wrong argument count is about. */
function signature(program: Program, fn: Func): string {
  return `${fn.name}(${fn.params.map((id) => `v${id}: ${typeText(fn.values[id]!, program.structs)}`).join(", ")})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The largest timer delay (2^31 - 1 ms, about 24.8 days): a run without --timeout. */
const NO_LIMIT_MS = 2 ** 31 - 1;

/**
 * The V8 heap limit a worker needs for a TS heap of `maxBytes` accounted bytes
 * (arenas.md §2.7: at most REAL_BYTES_FACTOR real bytes each), or undefined
 * where Node's default limit already holds it.
 */
function workerHeapMb(maxBytes: number): number | undefined {
  const mb = Math.ceil((REAL_BYTES_FACTOR * maxBytes) / 2 ** 20) + HEAP_MARGIN_MB;
  return mb * 2 ** 20 > getHeapStatistics().heap_size_limit ? mb : undefined;
}

interface WorkerRun {
  program: Program;
  backend: Backend;
  binary: Uint8Array | undefined;
  entry: string;
  args: bigint[];
  heap: HeapConfig;
  limitMs: number;
  heapMb: number | undefined;
  hostLibrary: string | undefined;
}

/** One run in a worker thread that the limit terminates (embedding.md §7.2). */
async function runInWorker(run: WorkerRun): Promise<RunOutcome> {
  const { nodeRunner } = await import("../run/node-runner.ts");
  const runner = nodeRunner(run.heapMb === undefined ? {} : { maxOldGenerationMb: run.heapMb });
  try {
    const request = {
      engine: run.backend, key: "vm3-run", program: run.program, entry: run.entry, args: run.args,
      ...(run.backend === "wasmgc" ? {} : { heap: run.heap }),
      ...(run.hostLibrary === undefined ? {} : { hostLibrary: run.hostLibrary }),
    };
    return await runner.run(run.binary === undefined ? request : { ...request, binary: run.binary }, run.limitMs);
  } finally {
    runner.close();
  }
}
