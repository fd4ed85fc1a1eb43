// Runs a RunRequest in the calling thread: the one place that knows how each
// engine is started, so the worker entries (node-worker.ts, web-worker.ts),
// the playground and the browser loader all run programs alike. Compiled
// modules are kept per request key (a worker is asked for many vectors of
// one program).

import { HandleAbiProgram } from "../../../ts-runtime/src/abi-host/program.ts";
import type { Heap } from "../../../ts-runtime/src/heap.ts";
import { RunUsageError, runProgramDetailed } from "../../../ts-runtime/src/interp/run.ts";
import { HostLinkError, type HostFunctions } from "../../../ts-runtime/src/host-functions.ts";
import { WasmGcProgram } from "../wasmgc/run.ts";
import type { FinishedRun, RefusedRun, RunHeapCounters, RunRequest } from "./request.ts";

/** How many compiled programs an engine keeps (least recently used goes first). */
const CACHE_SIZE = 16;

export class RunEngine {
  readonly #compiled = new Map<string, WasmGcProgram | HandleAbiProgram>();

  /**
   * Runs `request`; `started` is called once compilation is over, just
   * before the entry is instantiated and called (the time limit counts
   * from there). A usage error is a RefusedRun; anything else that is not
   * a program outcome (a module that breaks the contract, an engine bug)
   * is thrown.
   */
  run(request: RunRequest, started: () => void = () => {}, host?: HostFunctions): FinishedRun | RefusedRun {
    try {
      if (request.engine === "interp") {
        started();
        const t0 = performance.now();
        const { result, heap } = runProgramDetailed(request.program, { entry: request.entry, args: request.args, heap: request.heap ?? { variant: "auto" }, host });
        return { kind: "finished", result, elapsedMs: performance.now() - t0, heap: counters(heap, heap.peakLiveSlots()) };
      }
      const compiled = this.#compile(request);
      started();
      const t0 = performance.now();
      if (compiled instanceof WasmGcProgram) {
        const result = compiled.run(request.entry, request.args, host);
        return { kind: "finished", result, elapsedMs: performance.now() - t0 };
      }
      const run = compiled.runDetailed(request.entry, request.args, request.heap ?? { variant: "auto" }, host);
      return { kind: "finished", result: run.result, elapsedMs: performance.now() - t0, heap: counters(run.heap, run.peakLiveSlots) };
    } catch (e) {
      if (e instanceof RunUsageError || e instanceof HostLinkError) return { kind: "refused", message: e.message };
      throw e;
    }
  }

  #compile(request: RunRequest): WasmGcProgram | HandleAbiProgram {
    const id = `${request.engine}:${request.key}`;
    let compiled = this.#compiled.get(id);
    if (compiled !== undefined) {
      this.#compiled.delete(id); // re-inserted below: the Map's order is the LRU order
    } else {
      const binary = request.binary;
      if (binary === undefined) throw new Error(`a ${request.engine} run needs the emitted module (RunRequest.binary)`);
      compiled = request.engine === "wasmgc" ? WasmGcProgram.compile(binary, request.program) : HandleAbiProgram.compile(binary, request.program);
    }
    this.#compiled.set(id, compiled);
    if (this.#compiled.size > CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value!);
    return compiled;
  }
}

function counters(heap: Heap, peakLiveSlots: number): RunHeapCounters {
  const stats = heap.stats();
  return { liveSlots: heap.liveSlots(), peakLiveSlots, collections: stats.collections, slotsFreed: stats.slotsFreed, heapBytes: stats.heapBytes };
}
