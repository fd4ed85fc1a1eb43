// A testee process speaking the framed protocol on stdin/stdout
// (conformance.md §6.4): 4-byte little-endian length, then binary protobuf.
// A testee that exits, hangs or writes a bad frame fails the case at hand;
// the next request starts a fresh process.
import { spawn, type ChildProcess } from "node:child_process";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import { decodeMessage, encodeMessage } from "../protocol/wire.ts";
import type { Backend, VectorKind } from "./backend.ts";

const STDERR_TAIL = 2000;

/** Every testee process alive now, so the runner can end them when it is interrupted or crashes (killTestees). */
const running = new Set<ChildProcess>();

/** SIGKILLs every testee process still running: synchronous, so it also works in an `exit` handler. */
export function killTestees(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}
const MAX_FRAME = 256 * 1024 * 1024;

interface Pending {
  resolve(bytes: Buffer): void;
  reject(error: Error): void;
}

export class ProcessBackend implements Backend {
  readonly name: string;
  readonly kinds: ReadonlySet<VectorKind>;
  private readonly command: string;
  private readonly args: readonly string[];
  private readonly timeoutMs: number;
  private child: ChildProcess | undefined;
  private input = Buffer.alloc(0);
  private stderrTail = "";
  private pending: Pending | undefined;

  constructor(name: string, command: string, args: readonly string[], timeoutMs: number, kinds: readonly VectorKind[] = ["abi", "golden"]) {
    this.name = name;
    this.kinds = new Set(kinds);
    this.command = command;
    this.args = args;
    this.timeoutMs = timeoutMs;
  }

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const child = this.child ?? this.start();
    const frame = encodeMessage("TesteeRequest", request);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(frame.length);
    const reply = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending = {
        resolve: (b) => (clearTimeout(timer), resolve(b)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
    child.stdin!.write(Buffer.concat([header, frame]));
    const bytes = await reply;
    try {
      return decodeMessage("TesteeResponse", bytes) as TesteeResponse;
    } catch (e) {
      this.kill();
      throw new Error(`${this.name} answered a frame that is not a TesteeResponse: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (child.kill("SIGKILL"), resolve()), 5000);
      child.once("exit", () => (clearTimeout(timer), resolve()));
      child.stdin!.end();
    });
  }

  private start(): ChildProcess {
    this.input = Buffer.alloc(0);
    this.stderrTail = "";
    const child = spawn(this.command, this.args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child = child;
    running.add(child);
    child.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    child.stdin!.on("error", () => {}); // reported through "exit"
    child.on("error", (e) => this.fail(new Error(`cannot run ${this.command}: ${e.message}`)));
    child.on("exit", (code, signal) => {
      running.delete(child);
      if (this.child === child) {
        this.child = undefined;
        this.fail(new Error(`testee exited (${signal ?? `status ${code}`})`), false);
      }
    });
    return child;
  }

  private onData(chunk: Buffer): void {
    this.input = Buffer.concat([this.input, chunk]);
    if (this.input.length < 4) return;
    const length = this.input.readUInt32LE(0);
    if (length > MAX_FRAME) return this.fail(new Error(`testee wrote a frame of ${length} bytes`));
    if (this.input.length < 4 + length) return;
    const body = this.input.subarray(4, 4 + length);
    this.input = this.input.subarray(4 + length);
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) return this.fail(new Error("testee wrote a frame nobody asked for"));
    pending.resolve(Buffer.from(body));
  }

  private fail(error: Error, kill = true): void {
    if (kill) this.kill();
    const pending = this.pending;
    this.pending = undefined;
    const tail = this.stderrTail.trim();
    pending?.reject(new Error(tail ? `${error.message}; stderr: ${tail}` : error.message));
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill("SIGKILL");
  }
}
