// The Web Worker entry of the run protocol (web-runner.ts starts it; the
// browser bundle builds it as its own file, since a Worker loads a URL).
import type { HostMessage, WorkerMessage } from "./request.ts";
import { serveRuns } from "./worker-serve.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: HostMessage }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const serve = serveRuns((m: WorkerMessage) => scope.postMessage(m));
scope.onmessage = (event) => serve(event.data);
