// One instantiation of a handle-ABI module on its own fresh Heap, with
// `vm3_init` run (handle-abi.md §10.1, §10.5), and its `host` imports bound
// to the embedder's host functions (§10.8).

import { Heap, type HeapConfig } from "../heap.ts";
import { bindHostImports, type HostFunctions } from "../host-functions.ts";
import type { RunResult } from "../interp/run.ts";
import { compileHandleAbi } from "./contract.ts";
import type { MemoryRef } from "./guest-memory.ts";
import { type HostCallState, hostImports, HostReentryError } from "./host-imports.ts";
import { HOST_SECTION, HostSectionError, type HostSignature, readHostSection } from "./host-section.ts";
import { vm3Imports } from "./imports.ts";
import { LivePeak } from "./live-peak.ts";
import { HandleAbiError, resultValue, trapResult } from "./result.ts";
import { wasm, type WasmMemory, type WasmModule } from "./wasm-api.ts";

type Fn = (...args: unknown[]) => unknown;

/** ir.md §8.3: programs run on an AUTO heap with the default limits unless told otherwise. */
export const DEFAULT_HEAP_CONFIG: HeapConfig = { variant: "auto" };

export class HandleAbiInstance {
  /** The instance's heap, as the last call (or the trapping operation) left it; after a trap the guest's frames may still be open (§10.4). */
  readonly heap: Heap;
  /** The module's exports. */
  readonly exports: Record<string, unknown>;
  readonly #peak: LivePeak;
  readonly #host: HostCallState;

  /** Use instantiateHandleAbi. */
  constructor(heap: Heap, exports: Record<string, unknown>, peak: LivePeak, host: HostCallState = { inside: undefined }) {
    this.heap = heap;
    this.exports = exports;
    this.#peak = peak;
    this.#host = host;
  }

  /** The most slots alive at once since the heap was made (vm3_init included), sampled after every allocating import (live-peak.ts). */
  get peakLiveSlots(): number {
    return this.#peak.peak;
  }

  /** Calls `vm3_init` (once, before any entry: §10.1); a trap in it is thrown as its Trap. */
  init(): void {
    this.call("vm3_init", []);
  }

  /** Calls export `name` with `args`; a failing import throws its Trap (§10.4). */
  call(name: string, args: readonly unknown[]): unknown {
    // host.md §11.2: a host function must not re-enter the instance that called it.
    if (this.#host.inside !== undefined) throw new HostReentryError(`calling ${name}`, this.#host.inside);
    return this.#invoke(name, args);
  }

  #invoke(name: string, args: readonly unknown[]): unknown {
    const f = this.exports[name];
    if (typeof f !== "function") throw new HandleAbiError(`the module exports no function ${name}`);
    return (f as Fn)(...args);
  }

  /**
   * Calls export `name` while a host function of this instance runs: for
   * the typed API's accessors (compiler3-emit/src/bindings/accessors.ts),
   * leaf functions that only make heap operations, which a host function
   * may make (host.md §11.2 refuses re-entering the program, not the heap).
   * Their frames nest above the suspended guest's, as a call's would.
   */
  callNested(name: string, args: readonly unknown[]): unknown {
    const inside = this.#host.inside;
    this.#host.inside = undefined;
    try {
      return this.#invoke(name, args);
    } finally {
      this.#host.inside = inside;
    }
  }

  /**
   * Calls entry `name` (one i64 per parameter) and reads its result as the
   * IR type `resultType` (a `Type` of compiler3-emit/src/ir/model.ts; the
   * Wasm signature cannot tell a str from an i64). A Trap, or the engine's
   * stack exhaustion, is a trap RunResult; other engine traps are thrown.
   */
  run(name: string, args: readonly bigint[], resultType: number): RunResult {
    let raw: unknown;
    try {
      raw = this.call(name, args);
      return { kind: "ok", value: resultValue(resultType, raw, this.heap, name) };
    } catch (e) {
      if (e instanceof HandleAbiError || e instanceof HostReentryError) throw e;
      return trapResult(e, "");
    }
  }
}

/**
 * Instantiates `module` (a binary is compiled and checked against the
 * contract first) with the `vm3` imports of a fresh Heap made from
 * `heapConfig` (default AUTO), points `str_new` at its exported memory and
 * calls `vm3_init`. A trap in `vm3_init` is thrown as its Trap.
 */
export function instantiateHandleAbi(module: Uint8Array | WasmModule, heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG): HandleAbiInstance {
  const instance = newHandleAbiInstance(module instanceof Uint8Array ? compileHandleAbi(module) : module, heapConfig);
  instance.init();
  return instance;
}

/** instantiateHandleAbi without `vm3_init`, for callers that must see the heap when it traps. A trap in the module's start function is thrown as its Trap. */
export function newHandleAbiInstance(module: WasmModule, heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG, host?: HostFunctions): HandleAbiInstance {
  const heap = new Heap(heapConfig);
  return instantiateOn(module, heap, new LivePeak(heap), host);
}

const signatureCache = new WeakMap<WasmModule, readonly HostSignature[]>();

/**
 * The IR signatures of `module`'s `host` imports, from its `vm3.host`
 * section (handle-abi.md §10.8; compileHandleAbi has checked it against the
 * imports); [] when it has none.
 */
export function hostSignaturesOf(module: WasmModule): readonly HostSignature[] {
  let sigs = signatureCache.get(module);
  if (sigs === undefined) {
    const sections = wasm.Module.customSections(module, HOST_SECTION);
    if (sections.length > 1) throw new HandleAbiError(`${sections.length} ${HOST_SECTION} custom sections; a module has at most one (handle-abi.md §10.8)`);
    try {
      sigs = sections.length === 0 ? [] : readHostSection(new Uint8Array(sections[0]!));
    } catch (e) {
      // Only a module compiled without compileHandleAbi, which checks the section, gets here.
      if (e instanceof HostSectionError) throw new HandleAbiError(`not a handle-ABI module: ${e.message}`, { cause: e });
      throw e;
    }
    signatureCache.set(module, sigs);
  }
  return sigs;
}

/** The names of `module`'s host imports, which a run binds before it starts (HostLinkError when one is missing). */
export function hostImportNames(module: WasmModule): string[] {
  return hostSignaturesOf(module).map((s) => s.name);
}

/**
 * Instantiates `module` on `heap` (whose peak `peak` samples). The module's
 * start function, if it has one, runs here, inside the engine's
 * instantiation, and a trap in it is thrown as its Trap like any import's
 * (the caller keeps `heap` to report it). It runs before the host can know
 * the exported `memory`, so a `str_new` from it is BAD_ARGUMENT (handle-abi.md
 * §10.1); emitted modules have no start function (vm3_init is the initialiser).
 */
export function instantiateOn(module: WasmModule, heap: Heap, peak: LivePeak, host?: HostFunctions): HandleAbiInstance {
  const memoryRef: MemoryRef = { memory: undefined };
  const sigs = hostSignaturesOf(module);
  // HostLinkError (host.md §11.1) before anything runs, the start function included.
  const fns = sigs.length === 0 ? [] : bindHostImports(sigs.map((s) => s.name), host);
  const state: HostCallState = { inside: undefined };
  const imports: Record<string, object> = vm3Imports(heap, memoryRef, { peak });
  if (sigs.length > 0) {
    // A guest re-entered from a host function (through the raw exports) is refused at its first import.
    imports.vm3 = guarded(imports.vm3 as Record<string, (...a: unknown[]) => unknown>, state);
    imports.host = hostImports(heap, sigs, fns, state, peak).host;
  }
  const { exports } = new wasm.Instance(module, imports);
  memoryRef.memory = exports.memory as WasmMemory | undefined;
  return new HandleAbiInstance(heap, exports, peak, state);
}

function guarded(vm3: Record<string, (...a: unknown[]) => unknown>, state: HostCallState): Record<string, (...a: unknown[]) => unknown> {
  const out: Record<string, (...a: unknown[]) => unknown> = {};
  for (const [name, f] of Object.entries(vm3)) {
    out[name] = (...a: unknown[]) => {
      if (state.inside !== undefined) throw new HostReentryError(`vm3.${name}`, state.inside);
      return f(...a);
    };
  }
  return out;
}
