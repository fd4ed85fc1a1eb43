// The program vectors in a browser (DESIGN §11, conformance.md §6.5):
// `wasmgc-chromium` and `handle-abi-chromium` run the same modules the Node
// backends run (-O, emitted here once per Program) in Debian's chromium,
// through the Web Worker runner a build folder's loader uses, with the
// vector's time limit. One chromium, one static server and one page serve
// both backends for the whole run (the session below, started on the first
// vector and closed with the last backend); each vector goes to the page
// with `page.evaluate` (browser-page/wire.ts: int64s as strings, the module
// as base64). The page's server also serves the conformance host library,
// bundled as JavaScript, and every request names its URL, which the Web
// Worker imports (host.md §11.5). Where chromium is missing, every vector is
// skipped with the reason and the install command — a machine without a
// browser is not a failure of the implementation.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "../../compiler3-emit/src/browser/chromium.ts";
import type { ProbeResults } from "../../compiler3-emit/src/browser/probes.ts";
import { serveStatic, type StaticServer } from "../../compiler3-emit/src/browser/static-server.ts";
import { bundleEsm } from "../../compiler3-emit/src/bundle/esbuild.ts";
import { programToJsonText } from "../../compiler3-emit/src/ir/json-plain.ts";
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { ProgramVector } from "../protocol/program-messages.ts";
import { heapConfig } from "../testee/serve.ts";
import type { Backend, VectorKind } from "./backend.ts";
import type { ConformancePage } from "./browser-page/page.ts";
import { fromWireOutcome, toBase64, type WireEngine, type WireOutcome, type WireRequest } from "./browser-page/wire.ts";
import { moduleOf } from "./handle-abi-backends.ts";
import { wasmGcLimitsRefused, wasmGcModuleOf, wasmGcSkip } from "./wasmgc-backend.ts";
import { CONFORMANCE_HOST_LIBRARY, DEFAULT_PROGRAM_TIMEOUT_MS, programKey, reported } from "./worker-backend.ts";

const PAGE_ENTRY = fileURLToPath(new URL("./browser-page/page.ts", import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL("../../compiler3-emit/src/run/web-worker.ts", import.meta.url));
/** The conformance host library (CONFORMANCE_HOST_LIBRARY), served to the page's workers as JavaScript. */
const HOST_LIBRARY_ENTRY = fileURLToPath(CONFORMANCE_HOST_LIBRARY);
const HOST_LIBRARY_FILE = "host-library.js";

/** The running browser: one page holding the conformance bundle. */
interface Session {
  readonly probes: ProbeResults;
  /** The host library's URL on the page's server: a run request's hostLibrary (host.md §11.5), which the Web Worker imports. */
  readonly hostLibrary: string;
  run(request: WireRequest): Promise<WireOutcome>;
  close(): Promise<void>;
}

async function startSession(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), "vm3-chromium-conformance-"));
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [page, worker, hostLibrary] = await Promise.all([bundleEsm(PAGE_ENTRY), bundleEsm(WORKER_ENTRY), bundleEsm(HOST_LIBRARY_ENTRY)]);
    writeFileSync(join(dir, "page.js"), page);
    writeFileSync(join(dir, "vm3-worker.js"), worker);
    writeFileSync(join(dir, HOST_LIBRARY_FILE), hostLibrary);
    writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vm3 conformance</title><script type="module" src="page.js"></script>\n`);
    server = await serveStatic({ "/": dir });
    browser = await launchChromium();
    const tab: Page = await browser.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`${server.origin}/`);
    await tab.waitForFunction("globalThis.vm3Conformance !== undefined", undefined, { timeout: 30_000 }).catch((e: Error) => {
      throw new Error(`the conformance page did not start: ${errors.join("; ") || e.message}`);
    });
    const probes = await tab.evaluate(() => (globalThis as unknown as { vm3Conformance: ConformancePage }).vm3Conformance.probes());
    return {
      probes,
      hostLibrary: `${server.origin}/${HOST_LIBRARY_FILE}`,
      run: (request) => tab.evaluate((r) => (globalThis as unknown as { vm3Conformance: ConformancePage }).vm3Conformance.run(r), request),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

// The one session of this process, shared by every chromium backend; closed when the last one closes.
let shared: Promise<Session> | undefined;
let users = 0;

function session(): Promise<Session> {
  shared ??= startSession();
  return shared;
}

async function release(): Promise<void> {
  if (--users > 0 || shared === undefined) return;
  const s = shared;
  shared = undefined;
  await (await s.catch(() => undefined))?.close();
}

// What crosses to the page once per program and module, not once per vector.
const programJson = new WeakMap<Program, string>();
const base64 = new WeakMap<Uint8Array, string>();
function memo<K extends object, V>(map: WeakMap<K, V>, key: K, make: (k: K) => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make(key)));
  return v;
}

export const LARGE_STACK_SKIP =
  "needs more stack than a browser's Web Worker has (its stack cannot be sized by the page: wide frames overflow below 1,000 deep in Chromium 156; embedding.md §7.3)";

export interface ChromiumBackendOptions {
  /** The time limit of a vector without timeout_ms (default the runner's, 300 s). */
  timeoutMs?: number;
}

class ChromiumBackend implements Backend {
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly name: string;
  readonly #engine: WireEngine;
  readonly #timeoutMs: number;
  readonly #missing = chromiumMissing();

  constructor(engine: WireEngine, options: ChromiumBackendOptions) {
    this.#engine = engine;
    this.name = `${engine}-chromium`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS;
    users++;
  }

  skipProgram(vector: ProgramVector): string | undefined {
    if (this.#missing !== undefined) return this.#missing;
    // Like wasmgc-node: the engine owns WasmGC memory and accounts no bytes (ir.md §8.10).
    if (this.#engine === "wasmgc") {
      const skip = wasmGcSkip(this.name, vector);
      if (skip !== undefined) return skip;
    }
    if (vector.needsLargeStack) return LARGE_STACK_SKIP;
    return undefined;
  }

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const run = request.program;
    if (run === undefined) return { protocolError: `${this.name} answers only program requests` };
    if (this.#engine === "wasmgc") {
      const refused = wasmGcLimitsRefused(this.name, run.heap);
      if (refused !== undefined) return { program: { error: refused } };
    }
    const binary = await (this.#engine === "wasmgc" ? wasmGcModuleOf(run.program, true) : moduleOf(run.program));
    const s = await session();
    if (this.#engine === "wasmgc" && !(s.probes.gc && s.probes.relaxedSimd)) {
      throw new Error(`this chromium does not validate the probes a WasmGC module needs (GC ${s.probes.gc}, relaxed SIMD ${s.probes.relaxedSimd})`);
    }
    const outcome = await s.run({
      engine: this.#engine,
      key: programKey(run.program),
      programJson: memo(programJson, run.program, programToJsonText),
      binaryBase64: memo(base64, binary, toBase64),
      entry: run.entry ?? "",
      args: (run.args ?? []).map((a) => a.toString()),
      heap: heapConfig(run.heap),
      timeoutMs: run.timeoutMs || this.#timeoutMs,
      hostLibrary: s.hostLibrary,
    });
    if (outcome.kind === "failed") throw new Error(`the page's runner failed: ${outcome.error}`);
    return { program: reported(fromWireOutcome(outcome)) };
  }

  close(): Promise<void> {
    return release();
  }
}

export class WasmGcChromiumBackend extends ChromiumBackend {
  constructor(options: ChromiumBackendOptions = {}) {
    super("wasmgc", options);
  }
}

export class HandleAbiChromiumBackend extends ChromiumBackend {
  constructor(options: ChromiumBackendOptions = {}) {
    super("handle-abi", options);
  }
}
