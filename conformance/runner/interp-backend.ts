// The compiler3 IR reference interpreter (ts-runtime/src/interp), in-process,
// as a program backend (conformance.md §6.5): each request runs entry(args…)
// on a fresh heap made from the request's HeapConfig, so it reproduces
// OUT_OF_MEMORY (it accounts bytes, ir.md §8.10) and runs every vector.
import { RunUsageError, runProgram } from "../../ts-runtime/src/interp/run.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import { heapConfig } from "../testee/serve.ts";
import type { Backend, VectorKind } from "./backend.ts";
import { programOutcome } from "./program-outcome.ts";

export class InterpBackend implements Backend {
  readonly name = "interp";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const run = request.program;
    if (run === undefined) return { protocolError: "interp answers only program requests" };
    try {
      const result = runProgram(run.program, { entry: run.entry ?? "", args: run.args ?? [], heap: heapConfig(run.heap) });
      return { program: programOutcome(result) };
    } catch (e) {
      // ir.md §8.9: a wrong argument count or an unknown entry is a usage
      // error, reported in the outcome rather than as a trap.
      if (e instanceof RunUsageError) return { program: { error: e.message } };
      // Anything else escaping the interpreter is a bug in it: this
      // backend's failure on this case, not a crash of the run.
      const err = e as Error;
      throw new Error(`interp threw ${err.name}: ${err.message}\n${(err.stack ?? "").split("\n").slice(1, 4).join("\n")}`);
    }
  }

  async close(): Promise<void> {}
}
