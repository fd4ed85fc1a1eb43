// Programs compiled to handle-ABI modules (compiler3-emit/src/handleabi,
// vm3-spec/handle-abi.md) as two program backends (conformance.md §6.5): the
// same `.wasm` run under Node with the TypeScript Heap answering the `vm3`
// imports (`handle-abi-node`), and under Go with wazero and the Go arenas
// (`handle-abi-wazero`, the Go testee's program path). One module, two
// hosts, one answer: both must agree with the interpreter vector by vector.
//
// Each distinct Program is emitted once (keyed by identity: ProgramCache
// hands out one Program object per file); every vector then runs on a fresh
// heap made from the request's HeapConfig, so these backends account bytes
// like the interpreter and run the OUT_OF_MEMORY vectors too. The Node one
// runs in a worker (worker-backend.ts) so that a time limit can end it.
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { compileProgram } from "../../compiler3-emit/src/wasm/compile-thread.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { Backend, VectorKind } from "./backend.ts";
import { WorkerRuns } from "./worker-backend.ts";

/** The module of each program, or why it could not be emitted (every vector of that program then fails alike). */
const emitted = new WeakMap<Program, Promise<Uint8Array | Error>>();

/**
 * The program's handle-ABI module (-O), emitted once per Program; rejects
 * with why it cannot be. A program with a large function compiles in a
 * thread with a large stack (compile-thread.ts), as under `vm3 emit`.
 */
export async function moduleOf(program: Program): Promise<Uint8Array> {
  let m = emitted.get(program);
  if (m === undefined) {
    m = compileProgram(program, "handle-abi", true).then((o) => (o.kind === "ok" ? o.binary : new Error(`cannot compile the program to a handle-ABI module: ${o.message}`)));
    emitted.set(program, m);
  }
  const binary = await m;
  if (binary instanceof Error) throw binary;
  return binary;
}

export class HandleAbiNodeBackend implements Backend {
  readonly name = "handle-abi-node";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly #runs: WorkerRuns;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#runs = new WorkerRuns("handle-abi", moduleOf, options.timeoutMs);
  }

  serve(request: TesteeRequest): Promise<TesteeResponse> {
    return this.#runs.serve(request, this.name);
  }

  close(): Promise<void> {
    return this.#runs.close();
  }
}

/** The Go testee (a program-capable Backend) given each request's module in `ProgramRun.wasm`; it keeps the request's timeout_ms (embedding.md §7.2). */
export class HandleAbiWazeroBackend implements Backend {
  readonly name = "handle-abi-wazero";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly #testee: Backend;

  constructor(testee: Backend) {
    this.#testee = testee;
  }

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const run = request.program;
    if (run === undefined) return { protocolError: "handle-abi-wazero answers only program requests" };
    return this.#testee.serve({ program: { ...run, wasm: await moduleOf(run.program) } });
  }

  close(): Promise<void> {
    return this.#testee.close();
  }
}
