// The types of vm3-loader.js, the ESM bundle of compiler3-emit/src/browser/
// loader.ts that `vm3 build --target browser` writes beside the modules.
// Written by hand so that it stands alone (no project imports); kept equal
// to loader.ts's exports by loader-dts-check.ts, which `tsc` checks.

export type Engine = "wasmgc" | "handle-abi";
export type Prefer = "auto" | Engine;
export type ProbeName = "gc" | "relaxedSimd";
export type ProbeResults = Readonly<Record<ProbeName, boolean>>;
export type Variant = "stub" | "minimal" | "auto";

/** heap.proto HeapConfig: the handle-ABI heap (arenas.md §2.6, collection.md §4.5). */
export interface HeapConfig {
  variant?: Variant;
  maxSlotsPerArena?: number;
  maxHeapBytes?: number;
  autoMinThreshold?: number;
}

export interface LoadOptions {
  /** "auto" (default) and "wasmgc": WasmGC where both probes validate, else handle-ABI; "handle-abi": always handle-ABI. */
  prefer?: Prefer;
  /** Each run's default time limit in ms (default 10 000). */
  timeoutMs?: number;
  /** The handle-ABI heap (default `{ variant: "auto" }`). */
  heap?: HeapConfig;
  /** Test hook: these probe answers replace the engine's. */
  probeOverride?: Partial<Record<ProbeName, boolean>>;
  /**
   * The URL (relative to the page) of a JavaScript module whose named exports
   * are the host functions the program imports; the worker imports it.
   * Without it a program with host imports is refused.
   */
  hostLibrary?: string | URL;
}

export interface RunOptions {
  timeoutMs?: number;
  /** The function to run (default the program's entry). */
  entry?: string;
}

export interface EntryInfo {
  readonly name: string;
  /** Parameter names (value ids, "v0"…); every parameter is an i64. */
  readonly params: readonly string[];
}

export interface Detection {
  readonly engine: Engine;
  readonly reason: string;
  readonly probes: ProbeResults;
}

/** ir.md §8.9: an entry's result. */
export type ResultValue =
  | { type: "i64"; i64: bigint }
  | { type: "f64"; f64: number; bits: bigint }
  | { type: "bool"; bool: boolean }
  | { type: "str"; str: string }
  | { type: "unit" };

/** traps.md's codes: 0 TRAP_NONE … 16 HOST_ERROR (`name` is the proto name). */
export type TrapCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16;

/** A value or a trap (traps.md codes; function/block/value are "" / -1 where the engine does not know the site). */
export type RunResult =
  | { kind: "ok"; value: ResultValue }
  | { kind: "trap"; code: TrapCode; name: string; function: string; block: number; value: number; message: string };

export interface RunHeapCounters {
  readonly liveSlots: number;
  readonly peakLiveSlots: number;
  readonly collections: number;
  readonly slotsFreed: number;
  readonly heapBytes: number;
}

export interface FinishedRun {
  readonly kind: "finished";
  readonly result: RunResult;
  /** Instantiation and the entry call, in ms. */
  readonly elapsedMs: number;
  /** The handle-ABI heap's counters (absent on WasmGC). */
  readonly heap?: RunHeapCounters;
}

export interface TimedOutRun {
  readonly kind: "timeout";
  readonly limitMs: number;
  readonly afterMs: number;
}

/** A run that could not start (unknown entry, wrong arguments). */
export interface RefusedRun {
  readonly kind: "refused";
  readonly message: string;
}

export type RunOutcome = FinishedRun | TimedOutRun | RefusedRun;

export interface LoadedProgram extends Detection {
  readonly entry: EntryInfo;
  readonly entries: readonly EntryInfo[];
  readonly moduleBytes: number;
  run(args: readonly (bigint | number)[], options?: RunOptions): Promise<RunOutcome>;
  close(): void;
}

export declare const DEFAULT_TIMEOUT_MS: 10000;

export declare const FILES: {
  readonly program: "program.json";
  readonly wasmgc: "program.wasmgc.wasm";
  readonly handleAbi: "program.handle-abi.wasm";
  readonly worker: "vm3-worker.js";
};

/** Probes this engine and picks the module, without loading anything. */
export declare function detect(options?: Pick<LoadOptions, "prefer" | "probeOverride">): Detection;

/** Loads the build folder at `baseUrl` (default: the folder of vm3-loader.js). */
export declare function load(baseUrl?: string | URL, options?: LoadOptions): Promise<LoadedProgram>;

/** An outcome as one line: the result as `vm3 run` prints it, `trap NAME (code N)`, a timeout or a refusal. */
export declare function formatOutcome(outcome: RunOutcome): string;
