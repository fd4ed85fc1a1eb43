// The worker_threads entry of the run protocol (node-runner.ts starts it).
import { parentPort } from "node:worker_threads";
import type { HostMessage, WorkerMessage } from "./request.ts";
import { serveRuns } from "./worker-serve.ts";

if (parentPort === null) throw new Error("node-worker.ts runs only as a worker_threads Worker (see node-runner.ts)");
const port = parentPort;
const serve = serveRuns((m: WorkerMessage) => port.postMessage(m));
port.on("message", (m: HostMessage) => serve(m));
