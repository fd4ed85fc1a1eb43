// The host side of the run protocol (request.ts): sends each request to a
// worker and ends it with the time limit (embedding.md §7.2). The worker is
// any thread that speaks the protocol — node-runner.ts makes worker_threads,
// the browser loader makes Web Workers; a run past its limit terminates the
// worker (the only way to stop a synchronous Wasm or interpreter loop), and
// the next request gets a fresh one.

import { TrapCode, trapName } from "../../../ts-runtime/src/trap.ts";
import type { FinishedRun, HostMessage, RefusedRun, RunEngine, RunOutcome, RunRequest, WorkerMessage } from "./request.ts";

/** What the runner needs of a worker: a message port it can terminate. */
export interface RunWorker {
  post(message: HostMessage): void;
  terminate(): void;
}

/**
 * Makes a worker whose messages go to `onMessage` and whose death (an error
 * or an exit) to `onDeath`; `outOfMemory` when the engine ended it for
 * reaching its heap limit (Node's ERR_WORKER_OUT_OF_MEMORY).
 */
export type RunWorkerFactory = (onMessage: (m: WorkerMessage) => void, onDeath: (why: string, outOfMemory?: boolean) => void) => RunWorker;

/** A worker's startup and a module's compilation (before `started`) may take this long before the run fails. */
export const DEFAULT_STARTUP_MS = 120_000;

interface Pending {
  readonly id: number;
  readonly limitMs: number;
  readonly engine: RunEngine;
  readonly resolve: (o: RunOutcome) => void;
  readonly reject: (e: Error) => void;
  startedAt?: number;
  timer?: ReturnType<typeof setTimeout>;
}

export class TimedRunner {
  readonly #factory: RunWorkerFactory;
  readonly #startupMs: number;
  #worker: RunWorker | undefined;
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #closed = false;

  constructor(factory: RunWorkerFactory, options: { startupMs?: number } = {}) {
    this.#factory = factory;
    this.#startupMs = options.startupMs ?? DEFAULT_STARTUP_MS;
  }

  /**
   * Runs `request` with at most `limitMs` milliseconds from the end of
   * compilation to the result; one request at a time (later calls wait).
   * Rejects when the worker fails (it died, the module broke its contract,
   * it did not start in time).
   */
  run(request: RunRequest, limitMs: number): Promise<RunOutcome> {
    if (!(limitMs > 0)) throw new RangeError(`TimedRunner.run: the time limit must be positive, got ${limitMs}`);
    const next = this.#queue.then(() => this.#runNow(request, limitMs));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Terminates the worker; later runs are refused. */
  close(): void {
    this.#closed = true;
    this.#kill();
  }

  #runNow(request: RunRequest, limitMs: number): Promise<RunOutcome> {
    if (this.#closed) return Promise.reject(new Error("TimedRunner is closed"));
    return new Promise<RunOutcome>((resolve, reject) => {
      const p: Pending = { id: this.#nextId++, limitMs, engine: request.engine, resolve, reject };
      this.#pending = p;
      p.timer = setTimeout(() => this.#fail(p, `the worker did not start the run within ${this.#startupMs} ms`), this.#startupMs);
      try {
        this.#ensureWorker().post({ id: p.id, request });
      } catch (e) {
        this.#fail(p, `cannot send the request to the worker: ${(e as Error).message}`);
      }
    });
  }

  #ensureWorker(): RunWorker {
    if (this.#worker === undefined) {
      const worker = this.#factory(
        (m) => {
          if (this.#worker === worker) this.#onMessage(m);
        },
        (why, outOfMemory) => {
          if (this.#worker !== worker) return; // a worker this runner already terminated
          this.#worker = undefined;
          const p = this.#pending;
          if (p === undefined) return;
          // A WasmGC program allocates in the engine's heap (ir.md §8.10): the
          // engine ending the worker at its heap limit is that program running
          // out of memory (wasmgc.md), the trap every other backend gives. The
          // TS heap's accounting trips before it (arenas.md §2.7), so there it
          // stays a failure.
          if (outOfMemory === true && p.engine === "wasmgc" && p.startedAt !== undefined) this.#outOfMemory(p, why);
          else this.#fail(p, `the worker died: ${why}`, false);
        },
      );
      this.#worker = worker;
    }
    return this.#worker;
  }

  #onMessage(m: WorkerMessage): void {
    const p = this.#pending;
    if (p === undefined || m.id !== p.id) return;
    if (m.type === "started") {
      clearTimeout(p.timer);
      p.startedAt = performance.now();
      p.timer = setTimeout(() => this.#timeout(p), p.limitMs);
      return;
    }
    clearTimeout(p.timer);
    this.#pending = undefined;
    if (m.type === "done") p.resolve(m.outcome as FinishedRun | RefusedRun);
    else p.reject(new Error(m.error));
  }

  #timeout(p: Pending): void {
    if (this.#pending !== p) return;
    this.#pending = undefined;
    this.#kill();
    p.resolve({ kind: "timeout", limitMs: p.limitMs, afterMs: performance.now() - (p.startedAt ?? performance.now()) });
  }

  #outOfMemory(p: Pending, why: string): void {
    clearTimeout(p.timer);
    this.#pending = undefined;
    const result = { kind: "trap" as const, code: TrapCode.OUT_OF_MEMORY, name: trapName(TrapCode.OUT_OF_MEMORY), function: "", block: -1, value: -1, message: why };
    p.resolve({ kind: "finished", result, elapsedMs: performance.now() - p.startedAt! });
  }

  #fail(p: Pending, why: string, kill = true): void {
    if (this.#pending !== p) return;
    clearTimeout(p.timer);
    this.#pending = undefined;
    if (kill) this.#kill();
    p.reject(new Error(why));
  }

  #kill(): void {
    const w = this.#worker;
    this.#worker = undefined;
    w?.terminate();
  }
}
