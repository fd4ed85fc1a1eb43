// The TypeScript runtime, in-process.
import { serve } from "../testee/serve.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { Backend, VectorKind } from "./backend.ts";

export class TsRuntimeBackend implements Backend {
  readonly name = "ts-runtime";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["abi", "golden"]);

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    try {
      return serve(request);
    } catch (e) {
      // Anything but a Trap escaping the runtime is a bug in it, reported as
      // this backend's failure on this case rather than a crash of the run.
      const err = e as Error;
      throw new Error(`ts-runtime threw ${err.name}: ${err.message}\n${(err.stack ?? "").split("\n").slice(1, 4).join("\n")}`);
    }
  }

  async close(): Promise<void> {}
}
