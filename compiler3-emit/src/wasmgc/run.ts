// Running an emitted WasmGC program in this JS engine: the `vm3` imports
// (trap channel, the exact fma's slow path, the Host table), the `host`
// imports of its host calls (host-glue.ts), and the
// translation of an entry's result into the interpreter's RunResult, so that
// callers (vm3 run, the conformance backend, benchmarks) compare backends on
// one shape.
//
// One WebAssembly.Module is compiled per program; each run instantiates it
// afresh, which is the WasmGC analogue of a fresh heap: string constants
// (ir.md §8.10) are globals created with the instance, and the Host table is
// per instance.

import { bindHostImports, type HostFunction, type HostFunctions } from "../../../ts-runtime/src/host-functions.ts";
import type { Program } from "../ir/model.ts";
import { Type } from "../ir/model.ts";
import { RunUsageError, type ResultValue, type RunResult } from "../../../ts-runtime/src/interp/run.ts";
import { f64Bits, fma } from "../../../ts-runtime/src/interp/f64.ts";
import { Trap, TrapCode, trapName } from "../../../ts-runtime/src/trap.ts";
import { FMA_SLOW_IMPORT } from "../wasm/fma-import.ts";
import { HostSlot, hostImportObject, stringAccess, type StringAccess } from "./host-glue.ts";
import { FUSED_MADD_EXPORTS, HOST_BAD_RESULT_IMPORT, HOST_CALL_MODULE, HOST_IMPORTS, MADD_PROBES } from "./interface.ts";
import { Vm3Trap } from "./instantiate.ts";

// The slice of the WebAssembly JS API used here (the project builds without lib "dom").
export interface WasmModule {
  readonly __brand: "WebAssembly.Module";
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type Fn = (...args: unknown[]) => unknown;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

export class WasmGcProgram {
  readonly #module: WasmModule;
  readonly #program: Program;
  /** A run is in progress: a host function calling back in is refused (host.md §11.2). */
  #running = false;

  private constructor(module: WasmModule, program: Program) {
    this.#module = module;
    this.#program = program;
  }

  /** Compiles `binary` (emitted from `program` by emitWasmGc) once. */
  static compile(binary: Uint8Array, program: Program): WasmGcProgram {
    return new WasmGcProgram(new wasm.Module(binary), program);
  }

  /**
   * Runs `entry` (default: the program's) with one i64 per parameter in a
   * fresh instance, its host imports bound to `host` (HostLinkError, before
   * anything runs, for one without a function: host.md §11.1). A run asked
   * for while one is in progress — a host function calling back in — is
   * refused with a RunUsageError (host.md §11.2).
   */
  run(entry: string, args: readonly bigint[], host?: HostFunctions): RunResult {
    const name = entry === "" ? this.#program.entry : entry;
    if (this.#running) throw new RunUsageError(`cannot run ${name}: a run of this program is in progress (a host function must not re-enter it, host.md §11.2)`);
    const fn = this.#program.functions.find((f) => f.name === name);
    if (fn === undefined) throw new RunUsageError(`no function named ${name}`);
    if (args.length !== fn.params.length) throw new RunUsageError(`${name} takes ${fn.params.length} argument(s), got ${args.length}`);
    for (const a of args) if (a < MIN_I64 || a > MAX_I64) throw new RunUsageError(`argument ${a} is not an int64`);
    const fns = bindHostImports((this.#program.hostImports ?? []).map((h) => h.name), host);
    const { exports, strings } = this.#instantiate(fns);
    const f = exports[name] as Fn | undefined;
    if (f === undefined) throw new RunUsageError(`${name} cannot be an entry (ir.md §8.9: i64 parameters, result i64/f64/bool/str/unit)`);
    let raw: unknown;
    this.#running = true;
    try {
      raw = f(...args);
    } catch (e) {
      return trapResult(e);
    } finally {
      this.#running = false;
    }
    return { kind: "ok", value: resultValue(fn.result, raw, strings) };
  }

  #instantiate(fns: readonly HostFunction[]): WasmGcInstance {
    return instantiateWasmGcProgram(this.#module, this.#program, fns);
  }
}

/** One instance of a program's WasmGC module: its exports and its string accessors. */
export interface WasmGcInstance {
  readonly exports: Record<string, unknown>;
  readonly strings: StringAccess;
}

/** Compiles a WasmGC module (the engine validates it). */
export function compileWasmGcModule(binary: Uint8Array): WasmModule {
  return new wasm.Module(binary);
}

/**
 * Instantiates `module` (emitted from `program`) with the `vm3` imports and
 * the program's `host` imports bound to `fns` (in host_imports order), and
 * switches on the fused madd where the engine's is exact (fused-madd.ts).
 */
export function instantiateWasmGcProgram(module: WasmModule, program: Program, fns: readonly HostFunction[]): WasmGcInstance {
  let exports: Record<string, unknown> = {};
  const str = stringAccess(() => exports);
  const host = (program.hostImports ?? []).length > 0 ? hostImportObject(program, fns, str) : undefined;
  const imports = {
    ...(host === undefined ? {} : { [HOST_CALL_MODULE]: host.host }),
    vm3: {
      ...(host === undefined ? {} : { [HOST_BAD_RESULT_IMPORT]: host.badResult }),
      trap(code: number): never {
        throw new Vm3Trap(code);
      },
      [FMA_SLOW_IMPORT.base]: fma,
      [HOST_IMPORTS.new]: (s: unknown) => new HostSlot(str.text(s)),
      [HOST_IMPORTS.str]: (h: HostSlot) => {
        if (h.freed) throw new Vm3Trap(TrapCode.STALE_HANDLE);
        if (typeof h.value !== "string") throw new Vm3Trap(TrapCode.WRONG_TYPE);
        return str.make(h.value);
      },
      [HOST_IMPORTS.free]: (h: HostSlot) => {
        if (h.freed) throw new Vm3Trap(TrapCode.STALE_HANDLE);
        h.freed = true;
      },
      [HOST_IMPORTS.live]: (h: HostSlot) => (h.freed ? 0 : 1),
    },
  };
  exports = new wasm.Instance(module, imports).exports;
  const probe = exports[FUSED_MADD_EXPORTS.probe] as Fn;
  if (MADD_PROBES.every(([a, b, c]) => Object.is(probe(a, b, c), fma(a, b, c)))) (exports[FUSED_MADD_EXPORTS.enable] as Fn)();
  return { exports, strings: str };
}

function resultValue(type: number, raw: unknown, strings: StringAccess): ResultValue {
  switch (type) {
    case Type.I64:
      return { type: "i64", i64: raw as bigint };
    case Type.F64:
      return { type: "f64", f64: raw as number, bits: f64Bits(raw as number) };
    case Type.BOOL:
      return { type: "bool", bool: raw !== 0 };
    case Type.STR:
      return { type: "str", str: strings.text(raw) };
    default:
      return { type: "unit" };
  }
}

/**
 * A vm3 trap from the trap channel, or the engine's stack exhaustion
 * (a RangeError: ir.md §8.8's STACK_OVERFLOW, the engine's depth limit).
 * Anything else is not a program outcome and propagates.
 */
function trapResult(e: unknown): RunResult {
  const t = engineTrap(e);
  if (t === undefined) throw e;
  return { kind: "trap", code: t.code as TrapCode, name: trapName(t.code), function: "", block: -1, value: -1, message: t.message };
}

/**
 * What a throw out of a WasmGC module's code means as a trap: a vm3 trap of
 * the trap channel, a Trap of the host-call glue (HOST_ERROR with the host's
 * detail, STALE_HANDLE of an argument), the engine's stack exhaustion
 * (STACK_OVERFLOW) or its refusal to allocate (OUT_OF_MEMORY: the engine
 * owns WasmGC memory, ir.md §8.10, whatever limit it applies — V8 refuses
 * arrays far below 2^31 - 1 elements, wasmgc.md §9); undefined for anything
 * else, which is not a program outcome.
 */
export function engineTrap(e: unknown): { code: number; message: string } | undefined {
  if (e instanceof Vm3Trap) return { code: e.code, message: trapName(e.code) };
  if (e instanceof Trap) return { code: e.code, message: e.message };
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { code: TrapCode.STACK_OVERFLOW, message: e.message };
  if (isEngineAllocationFailure(e)) return { code: TrapCode.OUT_OF_MEMORY, message: (e as Error).message };
  return undefined;
}

/** V8's allocation failures inside Wasm: `RuntimeError: requested new array is too large`, or an out-of-memory RangeError/RuntimeError. */
function isEngineAllocationFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const runtimeError = e.name === "RuntimeError" || e instanceof RangeError;
  return runtimeError && /requested new array is too large|out of memory|allocation failed/i.test(e.message);
}
