// The hand-written anchors of the programs benchmark (issue 12; DESIGN §10):
// for binary_trees, lists_fill_sum and n_body, a WasmGC module written by hand
// in WAT (binaryen -O3) and the AssemblyScript version compiled with asc -O3
// for its incremental and its minimal runtime, each driven so that it
// computes exactly what the IR kernel computes at the same n. The sources are
// vendored in ./anchors/ (see its README for where they come from and what
// was adapted); programs.bench.ts times these columns interleaved with its own
// and checks their results against the others' before timing them.
//
// AssemblyScript is compiled here, by the asc API in memory (the
// `assemblyscript` devDependency), and cached by content hash in the OS temp
// folder — never in the repository. If asc is missing or fails, the
// AssemblyScript columns carry the reason instead; the hand-written WasmGC
// column needs only binaryen, which the emitter needs anyway.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { binaryen, WASMGC_FEATURES } from "../src/wasm/binaryen.ts";
import { optimizeModule } from "../src/wasm/optimize.ts";

// The slice of the WebAssembly JS API used here (the project builds without lib "dom", as ../src/wasmgc/run.ts).
interface WasmModule {
  readonly __brand: "WebAssembly.Module";
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The slice of assemblyscript/asc used here. Declared, not imported: the
 * package's own declarations redeclare globals (console, WebAssembly) for
 * AssemblyScript code and would break the type check of every other file.
 */
interface Asc {
  version: string;
  compileString(
    sources: Record<string, string>,
    options: Record<string, unknown>,
  ): Promise<{ error: Error | null; binary: Uint8Array | null; stderr: { toString(): string } }>;
}
/** A variable, so that tsc does not resolve the package's declarations (above). */
const ASC_MODULE = "assemblyscript/asc";

const SOURCES = fileURLToPath(new URL("./anchors/", import.meta.url));
const CACHE = join(tmpdir(), "vm3-bench-anchors");

export const ANCHOR_LABELS = ["hand-written WasmGC", "AS incremental", "AS minimal"] as const;
export type AnchorLabel = (typeof ANCHOR_LABELS)[number];

/** One anchor, ready to time: `run` returns the kernel's result as a JS number (as the JS kernels do). */
export interface AnchorColumn {
  label: AnchorLabel;
  bytes: number;
  /** One run at `n`; `timed` brackets a fresh instance and the whole computation, as the emitted module's column does. */
  run(n: number, timed: (work: () => void) => void): number;
}

/** An anchor that could not be built, and why. */
export interface SkippedAnchor {
  label: AnchorLabel;
  skipped: string;
}

export type Anchor = AnchorColumn | SkippedAnchor;

type Fn = (...args: number[]) => number;
/** A function export by name (all anchor exports take and return i32/f64, i.e. JS numbers). */
type Exports = (name: string) => Fn;
/** AssemblyScript's minimal runtime never collects on its own: the driver calls __collect between chunks of work. */
type Collect = (() => void) | undefined;

interface AnchorKernel {
  wat: string;
  as: string;
  /** Runs the kernel at n through the module's exports. */
  drive(ex: Exports, collect: Collect, n: number): number;
}

/** Tree nodes built per call into the module, so that the minimal runtime can collect in between (as ../shared/perf-anchors/bench.mjs). */
const CHUNK_NODES = 1 << 20;

/** The largest i32 the anchors' counters hold: a larger n would wrap, so it is refused instead. */
const I32_MAX = 2 ** 31 - 1;

/**
 * binary_trees.ir at n: maxDepth M = max(6, n); the stretch tree of depth M+1,
 * the long-lived tree of depth M, 2^(M-d+4) trees of each even depth d from 4
 * to M; the result is the total node count. The anchor counts in i32 per call.
 */
function binaryTreesDrive(ex: Exports, collect: Collect, n: number): number {
  const maxDepth = Math.max(6, n);
  if (2 ** (maxDepth + 2) > I32_MAX) throw new Error(`n = ${n}: the stretch tree's node count overflows the anchor's i32`);
  let total = ex("stretch")(maxDepth + 1);
  collect?.();
  ex("makeLongLived")(maxDepth);
  for (let d = 4; d <= maxDepth; d += 2) {
    const iterations = 2 ** (maxDepth - d + 4);
    const chunk = Math.max(1, Math.floor(CHUNK_NODES / (2 ** (d + 1) - 1)));
    for (let done = 0; done < iterations; done += chunk) {
      total += ex("iters")(d, Math.min(chunk, iterations - done));
      collect?.();
    }
  }
  return total + ex("checkLongLived")();
}

/** lists_fill_sum.ir at n: push 0..n-1, sum them (one listRep call; the anchor's sum is i64, returned as f64, exact below 2^53). */
function listsDrive(ex: Exports, _collect: Collect, n: number): number {
  if (n > I32_MAX) throw new Error(`n = ${n} does not fit the anchor's i32 length`);
  return ex("listRep")(n);
}

/** n_body.ir at n: five bodies at (i, 2i, 3i), velocity (0.1i, 0.2i, 0.3i), mass i + 1; n steps of dt = 0.01; the final energy. */
function nBodyDrive(ex: Exports, _collect: Collect, n: number): number {
  if (n > I32_MAX) throw new Error(`n = ${n} does not fit the anchor's i32 step count`);
  ex("init")(5);
  for (let i = 0; i < 5; i++) ex("setBody")(i, i, i * 2, i * 3, i * 0.1, i * 0.2, i * 0.3, i + 1);
  ex("run")(n, 0.01);
  return ex("energy")();
}

const KERNELS: Readonly<Record<string, AnchorKernel>> = {
  binary_trees: { wat: "binary_trees.wat", as: "binary_trees.as", drive: binaryTreesDrive },
  lists_fill_sum: { wat: "list_fill_sum_i64.wat", as: "list_fill_sum.as", drive: listsDrive },
  n_body: { wat: "struct_update.wat", as: "struct_update.as", drive: nBodyDrive },
};

export const ANCHORED_KERNELS: readonly string[] = Object.keys(KERNELS);

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

/** The WAT at binaryen -O3 (shrink 0), with the emitter's feature set. */
function buildWat(file: string): Uint8Array {
  const m = binaryen.parseText(readFileSync(join(SOURCES, file), "utf8"));
  try {
    m.setFeatures(WASMGC_FEATURES);
    if (!m.validate()) throw new Error(`${file} fails binaryen validation`);
    optimizeModule(m, { level: 3, shrink: 0, large: [] });
    if (!m.validate()) throw new Error(`${file} fails binaryen validation after -O3`);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

type AscCompile = (source: string, runtime: "incremental" | "minimal") => Promise<Uint8Array>;

/** asc -O3 --runtime RUNTIME --exportRuntime (../shared/perf-anchors/build.mjs's flags), in memory, or why asc cannot be used. */
async function loadAsc(): Promise<AscCompile | string> {
  let asc: Asc;
  try {
    asc = ((await import(ASC_MODULE)) as { default: Asc }).default;
  } catch (e) {
    return `cannot load the assemblyscript package (npm ci installs it): ${firstLine(e)}`;
  }
  return async (source, runtime) => {
    const options = { optimizeLevel: 3, shrinkLevel: 0, runtime, exportRuntime: true };
    const key = createHash("sha256").update(JSON.stringify([asc.version, options, source])).digest("hex").slice(0, 24);
    const cached = join(CACHE, `${key}.wasm`);
    try {
      return new Uint8Array(readFileSync(cached));
    } catch {
      // Not built yet.
    }
    const r = await asc.compileString({ "anchor.ts": source }, options);
    if (r.error !== null || r.binary === null) {
      throw new Error(`asc --runtime ${runtime}: ${r.error?.message ?? "no binary"}: ${r.stderr.toString().trim().split("\n")[0] ?? ""}`);
    }
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, r.binary);
    return r.binary;
  };
}

/** AssemblyScript's one import; a call means the module trapped (an assertion or out of memory). */
function ascImports(): object {
  return {
    env: {
      abort: () => {
        throw new Error("AssemblyScript abort");
      },
    },
  };
}

function exportsOf(instance: WasmInstance): Exports {
  return (name) => {
    const f = instance.exports[name];
    if (typeof f !== "function") throw new Error(`the anchor exports no function ${name}`);
    return f as Fn;
  };
}

function column(label: AnchorLabel, binary: Uint8Array, imports: object, kernel: AnchorKernel): AnchorColumn {
  const module = new wasm.Module(binary);
  const minimal = label === "AS minimal";
  return {
    label,
    bytes: binary.byteLength,
    run(n, timed) {
      let result = 0;
      timed(() => {
        const instance = new wasm.Instance(module, imports);
        const ex = exportsOf(instance);
        result = kernel.drive(ex, minimal ? () => void ex("__collect")() : undefined, n);
      });
      return result;
    },
  };
}

/** For each anchored kernel, its three anchors in ANCHOR_LABELS order (built, or why not). */
export async function loadAnchors(): Promise<Map<string, Anchor[]>> {
  const asc = await loadAsc();
  const out = new Map<string, Anchor[]>();
  for (const [name, kernel] of Object.entries(KERNELS)) {
    const anchors: Anchor[] = [];
    try {
      anchors.push(column("hand-written WasmGC", buildWat(kernel.wat), {}, kernel));
    } catch (e) {
      anchors.push({ label: "hand-written WasmGC", skipped: `binaryen: ${firstLine(e)}` });
    }
    for (const [label, runtime] of [
      ["AS incremental", "incremental"],
      ["AS minimal", "minimal"],
    ] as const) {
      if (typeof asc === "string") {
        anchors.push({ label, skipped: asc });
        continue;
      }
      try {
        const binary = await asc(readFileSync(join(SOURCES, kernel.as), "utf8"), runtime);
        anchors.push(column(label, binary, ascImports(), kernel));
      } catch (e) {
        anchors.push({ label, skipped: firstLine(e) });
      }
    }
    out.set(name, anchors);
  }
  return out;
}
