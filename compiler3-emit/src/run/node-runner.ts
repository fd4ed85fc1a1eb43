// TimedRunner on node:worker_threads: the in-process Node backends (vm3 run,
// the conformance runner's interp, wasmgc-node and handle-abi-node) run each
// program in a worker so that a time limit can end it (embedding.md §7.2).

import { Worker } from "node:worker_threads";
import type { RunWorkerFactory } from "./timed-runner.ts";
import { TimedRunner } from "./timed-runner.ts";

const ENTRY = new URL("./node-worker.ts", import.meta.url);

/**
 * The run thread's stack: ir.md §8.8 promises 10,000 non-tail frames of any
 * size, and V8 sizes its stack limit from the thread's (Node's main thread:
 * under 1 MiB). Reserved, not committed: a shallow run touches a few pages.
 */
export const DEFAULT_STACK_MB = 256;

export interface NodeRunnerOptions {
  /** See TimedRunner. */
  startupMs?: number;
  /** The worker thread's stack in MiB (worker_threads resourceLimits.stackSizeMb); default DEFAULT_STACK_MB. */
  stackSizeMb?: number;
  /** The worker's V8 heap limit in MiB (worker_threads resourceLimits.maxOldGenerationSizeMb); absent: Node's default. */
  maxOldGenerationMb?: number;
}

/** A worker_threads factory: the worker is unref'd, so an idle runner does not keep the process alive. */
export function nodeWorkerFactory(options: NodeRunnerOptions = {}): RunWorkerFactory {
  return (onMessage, onDeath) => {
    const worker = new Worker(ENTRY, {
      resourceLimits: {
        stackSizeMb: options.stackSizeMb ?? DEFAULT_STACK_MB,
        ...(options.maxOldGenerationMb === undefined ? {} : { maxOldGenerationSizeMb: options.maxOldGenerationMb }),
      },
    });
    worker.unref();
    worker.on("message", onMessage);
    worker.on("error", (e: Error) => onDeath(`${e.name}: ${e.message}`, (e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"));
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
