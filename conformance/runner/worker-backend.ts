// The in-process Node program backends (interp, wasmgc-node,
// handle-abi-node) run each vector in a worker_threads worker
// (compiler3-emit/src/run), so that the time limit can end a program that
// never returns (embedding.md §7.2): a vector's timeout_ms, else the
// runner's --timeout. The module is emitted here, once per Program; the
// worker compiles it once per key and runs each vector on a fresh heap.
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { nodeRunner } from "../../compiler3-emit/src/run/node-runner.ts";
import type { RunEngine, RunOutcome } from "../../compiler3-emit/src/run/request.ts";
import type { TimedRunner } from "../../compiler3-emit/src/run/timed-runner.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { ProgramOutcome } from "../protocol/program-messages.ts";
import { heapConfig } from "../testee/serve.ts";
import { programOutcome } from "./program-outcome.ts";

/** The runner's default program time limit (its --timeout): 300 s. */
export const DEFAULT_PROGRAM_TIMEOUT_MS = 300_000;

let nextKey = 1;
const keys = new WeakMap<Program, string>();

/** A key naming `program` for the workers' module caches (ProgramCache hands out one Program object per file). */
export function programKey(program: Program): string {
  let key = keys.get(program);
  if (key === undefined) {
    key = `p${nextKey++}`;
    keys.set(program, key);
  }
  return key;
}

/** The conformance host library (host.md §11.5) that every program vector runs against. */
export const CONFORMANCE_HOST_LIBRARY = new URL("../host/library.ts", import.meta.url).href;

export class WorkerRuns {
  readonly #engine: RunEngine;
  readonly #emit: ((program: Program) => Promise<Uint8Array>) | undefined;
  readonly #defaultTimeoutMs: number;
  readonly #runner: TimedRunner = nodeRunner();

  /** `emit` makes the engine's module (absent for the interpreter); it throws to fail every vector of a program. */
  constructor(engine: RunEngine, emit: ((program: Program) => Promise<Uint8Array>) | undefined, defaultTimeoutMs = DEFAULT_PROGRAM_TIMEOUT_MS) {
    this.#engine = engine;
    this.#emit = emit;
    this.#defaultTimeoutMs = defaultTimeoutMs;
  }

  async serve(request: TesteeRequest, backend: string): Promise<TesteeResponse> {
    const run = request.program;
    if (run === undefined) return { protocolError: `${backend} answers only program requests` };
    const binary = await this.#emit?.(run.program);
    const outcome = await this.#runner.run(
      {
        engine: this.#engine,
        key: programKey(run.program),
        program: run.program,
        ...(binary === undefined ? {} : { binary }),
        entry: run.entry ?? "",
        args: run.args ?? [],
        heap: heapConfig(run.heap),
        hostLibrary: CONFORMANCE_HOST_LIBRARY,
      },
      run.timeoutMs || this.#defaultTimeoutMs,
    );
    return { program: reported(outcome) };
  }

  async close(): Promise<void> {
    this.#runner.close();
  }
}

/** A RunOutcome as testee.proto's ProgramOutcome: ir.md §8.9's usage errors in `error`, a timeout as timed_out_after_ms (also the chromium backends'). */
export function reported(outcome: RunOutcome): ProgramOutcome {
  switch (outcome.kind) {
    case "refused":
      return { error: outcome.message };
    case "timeout":
      return { timedOutAfterMs: Math.max(outcome.limitMs, Math.round(outcome.afterMs)) };
    case "finished":
      return programOutcome(outcome.result);
  }
}
