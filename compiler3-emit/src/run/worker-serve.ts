// The worker side of the run protocol (request.ts), for any worker that can
// post and receive messages: node-worker.ts (worker_threads) and
// web-worker.ts (a browser Web Worker) only wire it to their port.

import { RunEngine } from "./engine.ts";
import type { HostMessage, WorkerMessage } from "./request.ts";

/** Answers each HostMessage with `started` then `done` (or `failed`), in order, one at a time. */
export function serveRuns(post: (message: WorkerMessage) => void): (message: HostMessage) => void {
  const engine = new RunEngine();
  return ({ id, request }) => {
    try {
      const outcome = engine.run(request, () => post({ id, type: "started" }));
      post({ id, type: "done", outcome });
    } catch (e) {
      post({ id, type: "failed", error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  };
}
