// Running an IR program's handle-ABI module (handle-abi.md §10) in this JS
// engine with the TypeScript Heap answering its imports: the API shape of
// WasmGcProgram (compiler3-emit/src/wasmgc/run.ts). One WebAssembly.Module
// is compiled per program; each run instantiates it on a fresh Heap.

import { bindHostImports, HostLinkError, type HostFunctions } from "../host-functions.ts";
import { Heap, type HeapConfig } from "../heap.ts";
import { RunUsageError, type RunResult } from "../interp/run.ts";
import { compileHandleAbi } from "./contract.ts";
import { HostReentryError } from "./host-imports.ts";
import { DEFAULT_HEAP_CONFIG, hostImportNames, instantiateOn } from "./instance.ts";
import { LivePeak } from "./live-peak.ts";
import { type EntryFunction, ProgramInstance } from "./program-instance.ts";
import { HandleAbiError, trapResult } from "./result.ts";
import { wasm, type WasmModule } from "./wasm-api.ts";

/**
 * What a run needs of the IR program (ir.md §8.1): its entry and each
 * function's name, parameter count and result type. A compiler3-emit
 * `Program` is one.
 */
export interface EntryTypes {
  readonly entry: string;
  readonly functions: readonly {
    readonly name: string;
    readonly params: readonly unknown[];
    readonly result: number;
    /** The function's values (a compiler3-emit Func has them): then each exported function's parameter types are checked too. */
    readonly values?: readonly { readonly type: number }[];
  }[];
}

/** A run's result, with the heap it ran on and its peak live slots. */
export interface HandleAbiRun {
  readonly result: RunResult;
  /** The most slots alive at once during the run (vm3_init and the entry), exact (live-peak.ts). */
  readonly peakLiveSlots: number;
  /** The run's heap, as the run (or the trapping operation) left it; after a trap the guest's frames may still be open (§10.4). */
  readonly heap: Heap;
}

const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

export class HandleAbiProgram {
  readonly #module: WasmModule;
  readonly #program: EntryTypes;
  #functions: Set<string> | undefined;

  private constructor(module: WasmModule, program: EntryTypes) {
    this.#module = module;
    this.#program = program;
  }

  /**
   * Compiles `binary` (emitted from `program` with `--target handle-abi`)
   * once and checks the module contract (contract.ts), the exported
   * entries' signatures against `program`'s functions included: a
   * HandleAbiError names what is wrong.
   */
  static compile(binary: Uint8Array, program: EntryTypes): HandleAbiProgram {
    return new HandleAbiProgram(compileHandleAbi(binary, program), program);
  }

  /** Runs `entry` (default: the program's) with one i64 per parameter on a fresh heap (default AUTO). */
  run(entry: string, args: readonly bigint[], heapConfig?: HeapConfig, host?: HostFunctions): RunResult {
    return this.runDetailed(entry, args, heapConfig, host).result;
  }

  /** `run`, also giving the heap and its peak live slots. */
  runDetailed(entry: string, args: readonly bigint[], heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG, host?: HostFunctions): HandleAbiRun {
    const { name, result: resultType } = this.#entry(entry, args);
    // A host import with no function refuses the run before it starts (HostLinkError, host.md §11.1).
    bindHostImports(hostImportNames(this.#module), host);
    const heap = new Heap(heapConfig);
    const peak = new LivePeak(heap);
    let result: RunResult;
    try {
      // The start function (if any) runs inside instantiation, then vm3_init, then the entry: a trap in any is the run's.
      const instance = instantiateOn(this.#module, heap, peak, host);
      instance.init();
      result = instance.run(name, args, resultType);
    } catch (e) {
      // The start function or vm3_init trapped (e.g. OUT_OF_MEMORY allocating the string constants under a small limit).
      if (e instanceof HandleAbiError || e instanceof HostLinkError || e instanceof HostReentryError) throw e;
      result = trapResult(e, "");
    }
    return { result, peakLiveSlots: peak.peak, heap };
  }

  /**
   * Instantiates the module once on a heap made from `heapConfig` and runs
   * vm3_init, for an embedder that calls entries many times
   * (embedding.md §7.4): ProgramInstance.run calls one, keeping the heap or
   * starting from a fresh one as asked. A trap in the start function or in
   * vm3_init is thrown as its Trap.
   */
  instantiate(heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG, host?: HostFunctions): ProgramInstance {
    bindHostImports(hostImportNames(this.#module), host);
    return new ProgramInstance(this.#module, heapConfig, host, (entry, args) => this.#entry(entry, args));
  }

  /** The function entry `entry` ("" the program's) names, with `args` checked against it; a RunUsageError says what is wrong. */
  #entry(entry: string, args: readonly bigint[]): EntryFunction {
    const name = entry === "" ? this.#program.entry : entry;
    const fn = this.#program.functions.find((f) => f.name === name);
    if (fn === undefined) throw new RunUsageError(`no function named ${name}`);
    if (args.length !== fn.params.length) throw new RunUsageError(`${name} takes ${fn.params.length} argument(s), got ${args.length}`);
    for (const a of args) if (!(typeof a === "bigint" && a >= MIN_I64 && a <= MAX_I64)) throw new RunUsageError(`argument ${a} is not an int64`);
    if (name === "vm3_init" || !this.#exportsFunction(name)) {
      throw new RunUsageError(`${name} cannot be an entry (ir.md §8.9: i64 parameters, result i64/f64/bool/str/unit)`);
    }
    return { name, result: fn.result };
  }

  #exportsFunction(name: string): boolean {
    this.#functions ??= new Set(wasm.Module.exports(this.#module).filter((e) => e.kind === "function").map((e) => e.name));
    return this.#functions.has(name);
  }
}
