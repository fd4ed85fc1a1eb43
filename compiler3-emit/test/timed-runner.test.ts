// TimedRunner (compiler3-emit/src/run/timed-runner.ts, embedding.md §7.2) with
// a scripted worker: what a worker's death means for the run it was running.
import { expect, test } from "vitest";
import type { Program } from "../src/ir/model.ts";
import type { RunEngine, RunRequest, WorkerMessage } from "../src/run/request.ts";
import { type RunWorkerFactory, TimedRunner } from "../src/run/timed-runner.ts";

/** A worker that starts every run and then dies as `death` says. */
function dyingWorker(death: { why: string; outOfMemory: boolean }): RunWorkerFactory {
  return (onMessage, onDeath) => ({
    post: (m) => {
      queueMicrotask(() => {
        onMessage({ id: m.id, type: "started" } satisfies WorkerMessage);
        setTimeout(() => onDeath(death.why, death.outOfMemory), 5);
      });
    },
    terminate: () => {},
  });
}

const request = (engine: RunEngine): RunRequest => ({ engine, key: "k", program: {} as Program, entry: "", args: [] });

test("a WasmGC run whose worker the engine ends at its heap limit is the trap OUT_OF_MEMORY (the engine owns its memory, ir.md §8.10)", async () => {
  const runner = new TimedRunner(dyingWorker({ why: "Error: Worker terminated due to reaching memory limit: JS heap out of memory", outOfMemory: true }));
  const out = await runner.run(request("wasmgc"), 10_000);
  expect(out.kind).toBe("finished");
  if (out.kind !== "finished") return;
  expect(out.result).toMatchObject({ kind: "trap", name: "OUT_OF_MEMORY", code: 8, message: expect.stringContaining("memory limit") });
  runner.close();
});

test.each(["interp", "handle-abi"] as const)("on %s the same death is a failure: the TS heap's accounting should have trapped first (arenas.md §2.7)", async (engine) => {
  const runner = new TimedRunner(dyingWorker({ why: "Error: Worker terminated due to reaching memory limit: JS heap out of memory", outOfMemory: true }));
  await expect(runner.run(request(engine), 10_000)).rejects.toThrow("the worker died: Error: Worker terminated due to reaching memory limit");
  runner.close();
});

test("any other death of a WasmGC worker is a failure naming why", async () => {
  const runner = new TimedRunner(dyingWorker({ why: "exited with code 1", outOfMemory: false }));
  await expect(runner.run(request("wasmgc"), 10_000)).rejects.toThrow("the worker died: exited with code 1");
  runner.close();
});
