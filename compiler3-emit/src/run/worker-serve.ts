// The worker side of the run protocol (request.ts), for any worker that can
// post and receive messages: node-worker.ts (worker_threads) and
// web-worker.ts (a browser Web Worker) only wire it to their port.

import type { HostFunctions } from "../../../ts-runtime/src/host-functions.ts";
import { RunEngine } from "./engine.ts";
import type { HostMessage, WorkerMessage } from "./request.ts";

/**
 * Answers each HostMessage with `started` then `done` (or `failed`), in
 * order, one at a time: a request naming a host library (host.md §11.5)
 * waits for its import, and the ones after it wait their turn.
 */
export function serveRuns(post: (message: WorkerMessage) => void): (message: HostMessage) => void {
  const engine = new RunEngine();
  const libraries = new Map<string, Promise<HostFunctions>>();
  let queue: Promise<void> = Promise.resolve();
  const fail = (id: number, e: unknown): void => post({ id, type: "failed", error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  const serveOne = (id: number, request: HostMessage["request"], host: HostFunctions | undefined): void => {
    try {
      const outcome = engine.run(request, () => post({ id, type: "started" }), host);
      post({ id, type: "done", outcome });
    } catch (e) {
      fail(id, e);
    }
  };
  return ({ id, request }) => {
    const url = request.hostLibrary;
    queue = queue.then(async () => {
      let host: HostFunctions | undefined;
      if (url !== undefined) {
        let lib = libraries.get(url);
        if (lib === undefined) {
          lib = import(url) as Promise<HostFunctions>;
          libraries.set(url, lib);
        }
        try {
          host = await lib;
        } catch (e) {
          post({ id, type: "done", outcome: { kind: "refused", message: `cannot load the host library ${url}: ${e instanceof Error ? e.message : String(e)}` } });
          return;
        }
      }
      serveOne(id, request, host);
    });
  };
}
