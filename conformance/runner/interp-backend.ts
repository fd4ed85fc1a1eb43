// The compiler3 IR reference interpreter (ts-runtime/src/interp) as a
// program backend (conformance.md §6.5), in a worker (worker-backend.ts):
// each request runs entry(args…) on a fresh heap made from the request's
// HeapConfig, so it reproduces OUT_OF_MEMORY (it accounts bytes, ir.md
// §8.10) and runs every vector. Anything escaping the interpreter other
// than a trap or a usage error is a bug in it: this backend's failure on
// that case, not a crash of the run.
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { Backend, VectorKind } from "./backend.ts";
import { WorkerRuns } from "./worker-backend.ts";

export class InterpBackend implements Backend {
  readonly name = "interp";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly #runs: WorkerRuns;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#runs = new WorkerRuns("interp", undefined, options.timeoutMs);
  }

  serve(request: TesteeRequest): Promise<TesteeResponse> {
    return this.#runs.serve(request, this.name);
  }

  close(): Promise<void> {
    return this.#runs.close();
  }
}
