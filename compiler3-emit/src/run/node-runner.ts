// TimedRunner on node:worker_threads: the in-process Node backends (vm3 run,
// the conformance runner's interp, wasmgc-node and handle-abi-node) run each
// program in a worker so that a time limit can end it (embedding.md §7.2).

import { Worker } from "node:worker_threads";
import type { RunWorkerFactory } from "./timed-runner.ts";
import { TimedRunner } from "./timed-runner.ts";

const ENTRY = new URL("./node-worker.ts", import.meta.url);

export interface NodeRunnerOptions {
  /** See TimedRunner. */
  startupMs?: number;
  /** The worker's V8 heap limit in MiB (worker_threads resourceLimits.maxOldGenerationSizeMb); absent: Node's default. */
  maxOldGenerationMb?: number;
}

/** A worker_threads factory: the worker is unref'd, so an idle runner does not keep the process alive. */
export function nodeWorkerFactory(options: NodeRunnerOptions = {}): RunWorkerFactory {
  return (onMessage, onDeath) => {
    const worker = new Worker(ENTRY, options.maxOldGenerationMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationMb } });
    worker.unref();
    worker.on("message", onMessage);
    worker.on("error", (e: Error) => onDeath(`${e.name}: ${e.message}`));
    worker.on("exit", (code: number) => onDeath(`exited with code ${code}`));
    return {
      post: (m) => worker.postMessage(m),
      terminate: () => void worker.terminate(),
    };
  };
}

export function nodeRunner(options: NodeRunnerOptions = {}): TimedRunner {
  return new TimedRunner(nodeWorkerFactory(options), options.startupMs === undefined ? {} : { startupMs: options.startupMs });
}
