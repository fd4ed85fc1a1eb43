// TimedRunner on browser Web Workers (embedding.md §7.2): the page stays
// live while a program runs, and a run past its limit ends with
// Worker.terminate.

import type { RunWorkerFactory } from "./timed-runner.ts";
import { TimedRunner } from "./timed-runner.ts";

// The slice of the DOM's Worker used here (the project compiles without lib "dom").
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  onmessageerror: ((event: unknown) => void) | null;
}
type WorkerConstructor = new (url: string | URL, options: { type: "module"; name?: string }) => WebWorker;

/** A factory of module Web Workers loading `url` (the bundled web-worker.ts). */
export function webWorkerFactory(url: string | URL): RunWorkerFactory {
  const Worker = (globalThis as unknown as { Worker?: WorkerConstructor }).Worker;
  if (Worker === undefined) throw new Error("this JavaScript environment has no Web Worker");
  return (onMessage, onDeath) => {
    const worker = new Worker(url, { type: "module", name: "vm3-run" });
    worker.onmessage = (event) => onMessage(event.data as Parameters<typeof onMessage>[0]);
    worker.onerror = (event) => onDeath(event.message ?? "the worker raised an error");
    worker.onmessageerror = () => onDeath("a message from the worker could not be read");
    return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
  };
}

export function webRunner(url: string | URL, options: { startupMs?: number } = {}): TimedRunner {
  return new TimedRunner(webWorkerFactory(url), options);
}
