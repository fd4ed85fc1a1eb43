// A handle-ABI program instantiated once and called many times
// (embedding.md §7.4): compile once (HandleAbiProgram.compile), instantiate
// once (HandleAbiProgram.instantiate), then run an entry per call, on the
// heap the last call left ("keep") or on a fresh one ("reset").

import type { HostFunctions } from "../host-functions.ts";
import { Heap, type HeapConfig } from "../heap.ts";
import { HostLinkError } from "../host-functions.ts";
import type { RunResult } from "../interp/run.ts";
import { HostReentryError } from "./host-imports.ts";
import { type HandleAbiInstance, instantiateOn } from "./instance.ts";
import { LivePeak } from "./live-peak.ts";
import type { HandleAbiRun } from "./program.ts";
import { HandleAbiError, trapResult } from "./result.ts";
import type { WasmModule } from "./wasm-api.ts";

/** What a call's heap is when it starts (embedding.md §7.4). */
export type HeapPolicy = "keep" | "reset";

/** An entry resolved and its arguments checked (HandleAbiProgram). */
export interface EntryFunction {
  readonly name: string;
  /** The IR result type (compiler3-emit/src/ir/model.ts Type). */
  readonly result: number;
}

export class ProgramInstance {
  readonly #module: WasmModule;
  readonly #config: HeapConfig;
  readonly #host: HostFunctions | undefined;
  readonly #resolve: (entry: string, args: readonly bigint[]) => EntryFunction;
  #heap!: Heap;
  #peak!: LivePeak;
  #instance!: HandleAbiInstance;
  /** Why the instance can run nothing more, once an error (not a trap) ended a call. */
  #broken: string | undefined;

  /** Use HandleAbiProgram.instantiate. */
  constructor(module: WasmModule, config: HeapConfig, host: HostFunctions | undefined, resolve: (entry: string, args: readonly bigint[]) => EntryFunction) {
    this.#module = module;
    this.#config = config;
    this.#host = host;
    this.#resolve = resolve;
    this.#fresh();
  }

  /** The heap the next "keep" call runs on: the last call's. */
  get heap(): Heap {
    return this.#heap;
  }

  /**
   * Calls `entry` ("" the program's) with one i64 per parameter. "keep"
   * runs it on the heap as the last call left it, "reset" on a fresh heap
   * made from the instance's config with vm3_init run first — a new
   * WebAssembly.Instance of the compiled module, since the imports are
   * bound to their heap. A trap is a trap RunResult and the instance stays
   * usable: the frames and scopes the call opened are closed. peakLiveSlots
   * is the call's own peak (under "reset", vm3_init's included). An error
   * that is not a trap (a module that breaks its contract, an engine trap
   * outside the ABI) is thrown, and the instance refuses every later call.
   */
  run(entry: string, args: readonly bigint[], policy: HeapPolicy = "keep"): HandleAbiRun {
    if (this.#broken !== undefined) throw new HandleAbiError(`the instance can run nothing more: ${this.#broken}`);
    const fn = this.#resolve(entry, args);
    if (policy === "reset") {
      try {
        this.#fresh();
      } catch (e) {
        return { result: this.#trapOrThrow(e), peakLiveSlots: this.#peak.peak, heap: this.#heap };
      }
    } else if (policy === "keep") {
      this.#peak.restart();
    } else {
      throw new TypeError(`heap policy ${String(policy)}: want "keep" or "reset"`);
    }
    const heap = this.#heap;
    const frames = heap.openFrames;
    const scopes = heap.openScopes;
    let result: RunResult;
    try {
      result = this.#instance.run(fn.name, args, fn.result);
    } catch (e) {
      if (!(e instanceof HostReentryError)) this.#broken = e instanceof Error ? e.message : String(e);
      throw e;
    }
    if (result.kind === "trap") heap.unwind(frames, scopes);
    return { result, peakLiveSlots: this.#peak.peak, heap };
  }

  /**
   * A new heap and a new Wasm instance on it, vm3_init run: what "reset"
   * starts from. The heap is set first, so that a trap in the start
   * function or vm3_init is reported with the heap it happened on.
   */
  #fresh(): void {
    this.#heap = new Heap(this.#config);
    this.#peak = new LivePeak(this.#heap);
    this.#instance = instantiateOn(this.#module, this.#heap, this.#peak, this.#host);
    this.#instance.init();
  }

  #trapOrThrow(e: unknown): RunResult {
    if (e instanceof HandleAbiError || e instanceof HostLinkError || e instanceof HostReentryError) throw e;
    return trapResult(e, "");
  }
}
