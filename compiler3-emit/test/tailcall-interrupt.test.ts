// A cycle of tail calls between functions that never ends must be
// stoppable (embedding.md §7.2): Worker.terminate ends the worker thread
// that runs it — its `exit` event fires — on both compiled targets, which
// wrap every function holding a return_call in a loop without back-edge
// after binaryen's optimiser (src/wasm/tail-interrupts.ts). Without the
// loop, V8's optimising tier has no interrupt check in the cycle and the
// thread spins on after terminate (shown here too, so the test can fail).
// The program vector ping-pong-forever (conformance/programs/tailcall.json)
// only sees the host report `timeout`; this sees the thread end.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, test } from "vitest";
import { loadProgram } from "../src/ir/load.ts";
import { emitWasmGcModule } from "../src/wasmgc/emit.ts";
import { emitHandleAbiModule } from "../src/handleabi/emit.ts";
import { binaryen } from "../src/wasm/binaryen.ts";
import { setFunctionBody } from "../src/wasm/tail-interrupts.ts";
import type { HostMessage, RunEngine, WorkerMessage } from "../src/run/request.ts";

const FILE = join(import.meta.dirname, "../../conformance/programs/tailcall/mutual.ir");
const { program } = loadProgram(FILE, readFileSync(FILE));
const WORKER = new URL("../src/run/node-worker.ts", import.meta.url);

/** The module's binary; with `unwrap`, first undoes tail-interrupts.ts's loop around every wrapped function's body. */
function binary(m: binaryen.Module, unwrap: boolean): Uint8Array {
  try {
    expect(m.emitText()).toMatch(/\(func \$f\d+\.ping[^\n]*\n\s*\(loop/);
    if (unwrap) {
      for (let i = 0; i < m.getNumFunctions(); i++) {
        const f = m.getFunctionByIndex(i);
        const body = binaryen.getFunctionInfo(f).body;
        if (!body || binaryen.getExpressionId(body) !== binaryen.LoopId) continue;
        const info = binaryen.getExpressionInfo(body) as binaryen.LoopInfo;
        if (!info.name) setFunctionBody(f, info.body);
      }
      expect(m.validate()).toBeTruthy();
      expect(m.emitText()).not.toMatch(/\(func \$f\d+\.ping[^\n]*\n\s*\(loop/);
    }
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** Runs ping(0) in a run worker, terminates it 300 ms after `started`, and says how long its exit took (or that it did not exit in 3 s). */
async function terminateAfterStart(engine: RunEngine, wasm: Uint8Array): Promise<number | "still running"> {
  const worker = new Worker(WORKER);
  try {
    const started = new Promise<void>((resolve, reject) => {
      worker.on("message", (m: WorkerMessage) => (m.type === "started" ? resolve() : reject(new Error(JSON.stringify(m)))));
      worker.on("error", reject);
    });
    const message: HostMessage = { id: 1, request: { engine, key: engine, program, binary: wasm, entry: "ping", args: [0n] } };
    worker.postMessage(message);
    await started;
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const exited = new Promise<number>((r) => worker.once("exit", () => r(performance.now() - t0)));
    void worker.terminate();
    return await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), 3000))]);
  } finally {
    worker.unref();
  }
}

const emit = {
  wasmgc: () => emitWasmGcModule(program, { optimize: true }),
  "handle-abi": () => emitHandleAbiModule(program, { optimize: true }),
} as const;

describe("Worker.terminate ends a never-ending cycle of tail calls (embedding.md §7.2)", () => {
  for (const engine of ["wasmgc", "handle-abi"] as const) {
    test(`${engine}: the worker exits after terminate`, async () => {
      expect(await terminateAfterStart(engine, binary(emit[engine](), false))).toBeLessThan(1000);
    }, 30_000);
  }
  // Last: a thread that does not stop spins until this file's process ends.
  for (const engine of ["wasmgc", "handle-abi"] as const) {
    test(`${engine}: without the loops the thread spins on (V8's known hole, the reason for them)`, async () => {
      expect(await terminateAfterStart(engine, binary(emit[engine](), true))).toBe("still running");
    }, 30_000);
  }
});
