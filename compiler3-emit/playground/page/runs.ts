// Runs the current program on one engine: compiles it in the page when the
// engine needs a module (kept per text version and -O setting), then sends
// a RunRequest to the Web Worker runner with the time limit; the page stays
// live meanwhile and a runaway program is ended with Worker.terminate.

import type { Program } from "../../src/ir/model.ts";
import type { RunEngine, RunOutcome } from "../../src/run/request.ts";
import type { TimedRunner } from "../../src/run/timed-runner.ts";
import { webRunner } from "../../src/run/web-runner.ts";
import { compile, type Compiled, type Target } from "./compile.ts";
import type { RowState } from "./results.ts";

export interface RunInput {
  readonly program: Program;
  /** Changes whenever the text does: names the program (and its modules) to the worker. */
  readonly version: number;
  readonly entry: string;
  readonly args: readonly bigint[];
  readonly timeoutMs: number;
  readonly optimize: boolean;
}

export class Runs {
  readonly #runner: TimedRunner;
  readonly #modules = new Map<string, Compiled>();
  #modulesVersion = -1;

  constructor(workerUrl: string | URL) {
    this.#runner = webRunner(workerUrl);
  }

  /** The module for `target` (emitted now unless already emitted for this version and -O). */
  module(program: Program, version: number, target: Target, optimize: boolean): Compiled {
    if (version !== this.#modulesVersion) {
      this.#modules.clear();
      this.#modulesVersion = version;
    }
    const id = `${target}:${optimize ? "O" : "0"}`;
    let m = this.#modules.get(id);
    if (m === undefined) {
      m = compile(program, target, optimize);
      this.#modules.set(id, m);
    }
    return m;
  }

  /** The module already emitted for `target`, if any (for the WAT view). */
  existing(version: number, target: Target, optimize: boolean): Compiled | undefined {
    return version === this.#modulesVersion ? this.#modules.get(`${target}:${optimize ? "O" : "0"}`) : undefined;
  }

  /** Runs `input` on `engine`; `progress` sees each step ("compiling", "running"); never throws. */
  async run(engine: RunEngine, input: RunInput, progress: (state: RowState) => void): Promise<RowState> {
    let moduleBytes: number | undefined;
    let emitMs: number | undefined;
    let binary: Uint8Array | undefined;
    if (engine !== "interp") {
      progress({ kind: "running", what: `compiling with binaryen${input.optimize ? " -O" : ""}…` });
      await nextFrame(); // let the page paint the row before binaryen takes the thread
      const m = this.module(input.program, input.version, engine, input.optimize);
      if (!m.ok) return { kind: "error", message: `cannot compile: ${m.error}` };
      binary = m.binary;
      moduleBytes = m.binary.byteLength;
      emitMs = m.emitMs;
    }
    progress({ kind: "running", what: "running in a Web Worker…" });
    let outcome: RunOutcome;
    try {
      outcome = await this.#runner.run(
        {
          engine,
          key: `v${input.version}${engine === "interp" ? "" : input.optimize ? "-O" : "-O0"}`,
          program: input.program,
          ...(binary === undefined ? {} : { binary }),
          entry: input.entry,
          args: input.args,
        },
        input.timeoutMs,
      );
    } catch (e) {
      return { kind: "error", message: `the worker failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    return { kind: "done", outcome, moduleBytes, emitMs };
  }
}

function nextFrame(): Promise<void> {
  return new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
}
