// A program run as a message (embedding.md §7.2): what a host thread sends to
// the thread that runs the program — a Node worker_thread or a browser Web
// Worker — and what comes back. Plain data (structured-clone safe: numbers,
// bigints, strings, Uint8Arrays), so one protocol serves both kinds of
// worker and the in-thread engine.

import type { Program } from "../ir/model.ts";
import type { HeapConfig } from "../../../ts-runtime/src/heap-config.ts";
import type { RunResult } from "../../../ts-runtime/src/interp/run.ts";

/** The engines a program can run on (ir.md §8.9: all give one RunResult). */
export const RUN_ENGINES = ["interp", "wasmgc", "handle-abi"] as const;
export type RunEngine = (typeof RUN_ENGINES)[number];

export interface RunRequest {
  readonly engine: RunEngine;
  /**
   * Names the program (and its module) so a worker compiles it once: two
   * requests with the same key must carry the same program and binary.
   */
  readonly key: string;
  /** The validated program (ir.md §8.11). */
  readonly program: Program;
  /** The emitted module: WasmGC for `wasmgc`, handle-ABI for `handle-abi`; absent for `interp`. */
  readonly binary?: Uint8Array;
  /** Empty: the program's entry. */
  readonly entry: string;
  readonly args: readonly bigint[];
  /** The heap of `interp` and `handle-abi` runs (default AUTO, ir.md §8.3); WasmGC's heap is the engine's. */
  readonly heap?: HeapConfig;
  /**
   * The host library (host.md §11.5): the URL of a JavaScript module whose
   * named exports are the host functions the program imports. Functions
   * cannot cross postMessage, so a worker imports this module itself.
   */
  readonly hostLibrary?: string;
}

/** The heap's counters after a run (operations.md §3.2 `stats`); absent on WasmGC, whose heap is the engine's. */
export interface RunHeapCounters {
  readonly liveSlots: number;
  readonly peakLiveSlots: number;
  readonly collections: number;
  readonly slotsFreed: number;
  readonly heapBytes: number;
}

/** A run that finished: its result (a value or a trap), how long the entry ran, and the heap's counters. */
export interface FinishedRun {
  readonly kind: "finished";
  readonly result: RunResult;
  /** Wall time of instantiation and the entry call, in milliseconds (compilation excluded). */
  readonly elapsedMs: number;
  readonly heap?: RunHeapCounters;
}

/** A run the time limit ended (embedding.md §7.2): the worker was terminated. */
export interface TimedOutRun {
  readonly kind: "timeout";
  /** The limit, in milliseconds. */
  readonly limitMs: number;
  /** How long the run had been going when it was ended, in milliseconds. */
  readonly afterMs: number;
}

/** A run that could not start (ir.md §8.9: unknown entry, wrong arguments): a usage error, not a trap. */
export interface RefusedRun {
  readonly kind: "refused";
  readonly message: string;
}

export type RunOutcome = FinishedRun | TimedOutRun | RefusedRun;

/** Worker → host messages. `started` marks the end of compilation: the time limit counts from it. */
export type WorkerMessage =
  | { readonly id: number; readonly type: "started" }
  | { readonly id: number; readonly type: "done"; readonly outcome: FinishedRun | RefusedRun }
  | { readonly id: number; readonly type: "failed"; readonly error: string };

/** Host → worker: one request, numbered. */
export interface HostMessage {
  readonly id: number;
  readonly request: RunRequest;
}
