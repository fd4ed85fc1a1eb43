// Compiling in a worker thread with a large stack (wasmgc.md §9.7): the
// command line's emitters (vm3 emit, vm3 run, vm3 build) and the conformance
// runner's module caches run here when a program has a large function.
//
// binaryen.js is C++ compiled to Wasm and runs on the calling thread's
// stack, and some of its algorithms recurse on the program's structure
// (the Relooper on the nesting of the control flow it builds, the binary
// writer and several passes on expression depth). optimize.ts keeps
// expressions shallow for large functions, but a function of thousands of
// blocks still nests its control flow thousands deep: 10,000 blocks in a
// chain of tests exhaust Node's main-thread stack (under 1 MiB) even at -O0,
// and compile in 7 s in a thread with 256 MiB. A worker_threads Worker gets
// the stack it asks for (V8 sizes its limit from it), reserved, not
// committed, as the run worker does (run/node-runner.ts).

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { Program } from "../ir/model.ts";
import { binaryenFailure, LARGE_FUNCTION_VALUES } from "./limits.ts";

/** The compile thread's stack in MiB; VM3_COMPILE_STACK_MB overrides it (a test forces a failure with a small one). */
export const COMPILE_STACK_MB = 256;

export type CompileTarget = "wasmgc" | "handle-abi";

export type CompileOutcome =
  | { kind: "ok"; binary: Uint8Array }
  /** The target cannot compile the program (EmitError, HandleAbiEmitError): the message names the function. */
  | { kind: "emit-error"; message: string }
  /** Anything else (a compiler bug, an engine failure): one line, `Name: message`. */
  | { kind: "internal-error"; message: string };

interface CompileRequest {
  program: Program;
  target: CompileTarget;
  optimize: boolean;
  /** Export every function (a bound program's module, bindings.md §2). */
  exportAll?: boolean;
}

/**
 * Compiles `program` for `target`: in this thread when every
 * function is small (at most LARGE_FUNCTION_VALUES values and as many
 * blocks: binaryen's recursion then stays far inside Node's main-thread
 * stack, and the corpus pays no thread start, about 0.4 s), else in a
 * compile thread (compileInThread). VM3_COMPILE_STACK_MB sends every program
 * to the thread, with that stack.
 */
export function compileProgram(program: Program, target: CompileTarget, optimize: boolean, exportAll = false): Promise<CompileOutcome> {
  const small = program.functions.every((f) => f.values.length <= LARGE_FUNCTION_VALUES && f.blocks.length <= LARGE_FUNCTION_VALUES);
  return small && process.env.VM3_COMPILE_STACK_MB === undefined ? serve({ program, target, optimize, exportAll }) : compileInThread(program, target, optimize, exportAll);
}

/** Compiles `program` in a fresh worker thread with a COMPILE_STACK_MB stack. */
export function compileInThread(program: Program, target: CompileTarget, optimize: boolean, exportAll = false): Promise<CompileOutcome> {
  const env = process.env.VM3_COMPILE_STACK_MB;
  const stackSizeMb = env !== undefined && /^[0-9]+(\.[0-9]+)?$/.test(env) && Number(env) > 0 ? Number(env) : COMPILE_STACK_MB;
  return new Promise((resolve) => {
    const request: CompileRequest = { program, target, optimize, exportAll };
    const worker = new Worker(new URL(import.meta.url), { workerData: { [MARK]: request }, resourceLimits: { stackSizeMb } });
    let settled = false;
    const settle = (o: CompileOutcome) => {
      if (settled) return;
      settled = true;
      resolve(o);
      void worker.terminate();
    };
    worker.on("message", (o: CompileOutcome) => settle(o));
    worker.on("error", (e: Error) => settle({ kind: "internal-error", message: `the compile thread failed: ${e.name}: ${firstLine(e.message)}` }));
    worker.on("exit", (code) => settle({ kind: "internal-error", message: `the compile thread exited with code ${code} before it answered` }));
  });
}

function firstLine(s: string): string {
  return s.split("\n")[0]!;
}

async function serve(request: CompileRequest): Promise<CompileOutcome> {
  try {
    // The target's emitter and the error it throws for a program it cannot compile.
    const { emit, EmitError } =
      request.target === "handle-abi"
        ? await import("../handleabi/emit.ts").then((e) => ({ emit: e.emitHandleAbi, EmitError: e.HandleAbiEmitError }))
        : await import("../wasmgc/emit.ts").then((e) => ({ emit: e.emitWasmGc, EmitError: e.EmitError }));
    try {
      return { kind: "ok", binary: emit(request.program, { optimize: request.optimize, exportAll: request.exportAll ?? false }) };
    } catch (e) {
      if (e instanceof EmitError) return { kind: "emit-error", message: e.message };
      throw e;
    }
  } catch (e) {
    // Most likely binaryen's own failure (the handle-ABI emitter's binary
    // writer, say): name what its recursion grows with.
    return { kind: "internal-error", message: binaryenFailure("the compiler", e, request.program.functions) };
  }
}

/** The key of workerData that makes a worker of this module a compile thread (not any other worker that imports it). */
const MARK = "vm3CompileRequest";

const request = isMainThread ? undefined : (workerData as Record<string, CompileRequest> | null)?.[MARK];
if (request !== undefined && parentPort !== null) {
  const port = parentPort;
  void serve(request).then((o) => port.postMessage(o, o.kind === "ok" ? [o.binary.buffer as ArrayBuffer] : []));
}
