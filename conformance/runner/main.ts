// npm run conformance [-- --vectors DIR] [-- --report FILE]: runs every vector
// on every backend, prints the matrix, exits non-zero on any failure or
// disagreement (conformance.md §6, DESIGN §8).
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Backend, VectorKind } from "./backend.ts";
import { tally, type CaseResult } from "./cases.ts";
import { buildGoTestee } from "./go-testee.ts";
import { InterpBackend } from "./interp-backend.ts";
import { formatFailures, formatMatrix } from "./matrix.ts";
import { killTestees, ProcessBackend } from "./process-backend.ts";
import { ProgramCache } from "./program-files.ts";
import { runFile } from "./run.ts";
import { TsRuntimeBackend } from "./ts-backend.ts";
import { findVectorFiles, isProblem, loadVectorFile, type VectorFile } from "./vector-files.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const ALL_BACKENDS = ["ts-runtime", "go-host", "interp", "wasmgc-node", "handle-abi-node", "handle-abi-wazero", "wasmgc-chromium", "handle-abi-chromium"] as const;

const HELP = `Usage: npm run conformance -- [options]

Runs the shared conformance vectors (conformance/vectors/**/*.json: ABI
vectors and golden Cells) and program vectors (conformance/programs/*.json)
on every backend that runs their kind, and prints a matrix of suites ×
backends (passed/failed/skipped; "—" where a backend does not run that kind).
Exits 1 on any failure or disagreement between backends, 2 on bad usage.

Options:
  --vectors DIR     also run the vector files under DIR (repeatable)
  --only DIR        run only the vector files under DIR (repeatable)
  --report FILE     write the results as JSON to FILE
  --backend NAME    run only this backend (repeatable): ${ALL_BACKENDS.join(", ")}
  --timeout SEC     the time limit of a program vector without its own
                    timeout_ms, and of a testee process's answer (default
                    300); a program past its limit ends as "timeout"
                    (embedding.md §7.2)
  --failures N      failures shown per backend (default 20)
  -h, --help        this text

Backends:
  ts-runtime   the TypeScript runtime, in-process (ABI vectors, golden Cells)
  go-host      builds go-host/cmd/vm3-testee with \`go build\` and speaks the
               testee protocol (vm3-spec/conformance.md §6.4) with it over a
               pipe (ABI vectors, golden Cells)
  interp       the compiler3 IR reference interpreter (ts-runtime/src/interp),
               in a worker thread (program vectors)
  wasmgc-node  each program emitted to WebAssembly GC (binaryen-optimized) and
               run in this Node's engine, a fresh instance per vector (program
               vectors; those expecting OUT_OF_MEMORY are skipped, ir.md §8.10)
  handle-abi-node
               each program emitted as a handle-ABI module (vm3-spec/
               handle-abi.md) and run in this Node with the TypeScript heap
               answering its vm3 imports (program vectors)
  handle-abi-wazero
               the same module run by the go-host testee under wazero with
               the Go heap answering the imports (program vectors)
  wasmgc-chromium
               the wasmgc-node module run in Debian's chromium (playwright-
               core; one browser and one page for the whole run) through the
               browser loader's Web Worker with the vector's time limit
               (program vectors; OUT_OF_MEMORY ones skipped as on wasmgc-node;
               every one skipped, with the install command, where chromium is
               missing; VM3_CHROMIUM names another binary)
  handle-abi-chromium
               the handle-ABI module run in the same page, with the
               TypeScript heap answering its vm3 imports (program vectors)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        vectors: { type: "string", multiple: true, default: [] },
        only: { type: "string", multiple: true, default: [] },
        report: { type: "string" },
        backend: { type: "string", multiple: true, default: [] },
        timeout: { type: "string", default: "300" },
        failures: { type: "string", default: "20" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    process.stderr.write(`conformance: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const unknown = args.backend.filter((b) => !(ALL_BACKENDS as readonly string[]).includes(b));
  const timeout = Number(args.timeout);
  if (unknown.length > 0 || !(timeout > 0)) {
    process.stderr.write(`conformance: ${unknown.length > 0 ? `unknown backend ${unknown.join(", ")}` : `bad --timeout ${args.timeout}`}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const dirs = args.only.length > 0 ? args.only : [join(REPO, "conformance/vectors"), join(REPO, "conformance/programs"), ...args.vectors];

  const cases: CaseResult[] = [];
  const names = args.backend.length > 0 ? args.backend : [...ALL_BACKENDS];
  const files: VectorFile[] = [];
  for (const dir of dirs) {
    let paths: string[];
    try {
      paths = findVectorFiles(resolve(dir));
    } catch (e) {
      process.stderr.write(`conformance: ${(e as Error).message}\n`);
      return 2;
    }
    if (paths.length === 0) progress(`warning: no *.json vector files under ${dir}`);
    for (const path of paths) {
      const loaded = loadVectorFile(path);
      if (isProblem(loaded)) {
        // A malformed file fails on every backend: nothing of it can run.
        for (const backend of names) {
          cases.push({ suite: "vector-files", name: loaded.path, backend, status: "failed", detail: loaded.message });
        }
        progress(`malformed vector file ${loaded.path}: ${loaded.message}`);
      } else {
        files.push(loaded);
      }
    }
  }

  const backends: Backend[] = [];
  /** A backend that cannot be started fails every case of the kinds it runs, with the reason. */
  const failEverything = (backend: string, kinds: readonly VectorKind[], reason: string) => {
    progress(`${backend}: ${reason}`);
    for (const f of files) {
      if (!kinds.includes(f.kind)) continue;
      const caseNames =
        f.kind === "abi"
          ? (f.file.vectors ?? []).map((v, i) => v.name || `vector #${i}`)
          : f.kind === "golden"
            ? (f.file.cells ?? []).map((c, i) => c.name || `cell #${i}`)
            : (f.file.programs ?? []).map((p, i) => p.name || `program #${i}`);
      for (const name of caseNames) cases.push({ suite: f.suite, name, backend, status: "failed", detail: reason });
    }
  };
  for (const name of names) {
    if (name === "ts-runtime") backends.push(new TsRuntimeBackend());
    if (name === "interp") backends.push(new InterpBackend({ timeoutMs: timeout * 1000 }));
    if (name === "go-host" || name === "handle-abi-wazero") {
      const kinds: VectorKind[] = name === "go-host" ? ["abi", "golden"] : ["program"];
      try {
        progress(`${name}: building the go-host testee (go build ./go-host/cmd/vm3-testee) …`);
        const binary = buildGoTestee(REPO, join(REPO, "conformance/.build"));
        const testee = new ProcessBackend(name, binary, [], timeout * 1000, kinds);
        if (name === "go-host") {
          backends.push(testee);
        } else {
          const { HandleAbiWazeroBackend } = await import("./handle-abi-backends.ts");
          backends.push(new HandleAbiWazeroBackend(testee));
        }
      } catch (e) {
        failEverything(name, kinds, (e as Error).message);
      }
    }
    if (name === "handle-abi-node") {
      try {
        const { HandleAbiNodeBackend } = await import("./handle-abi-backends.ts");
        backends.push(new HandleAbiNodeBackend({ timeoutMs: timeout * 1000 }));
      } catch (e) {
        failEverything(name, ["program"], `cannot load the handle-ABI emitter: ${(e as Error).message}`);
      }
    }
    if (name === "wasmgc-node") {
      // Loaded only when asked for: it pulls in binaryen (about 0.4 s), and an
      // emitter that does not load fails this backend's cases, not the run.
      try {
        const { WasmGcNodeBackend } = await import("./wasmgc-backend.ts");
        backends.push(new WasmGcNodeBackend({ optimize: true, timeoutMs: timeout * 1000 }));
      } catch (e) {
        failEverything("wasmgc-node", ["program"], `cannot load the WasmGC emitter: ${(e as Error).message}`);
      }
    }
    if (name === "wasmgc-chromium" || name === "handle-abi-chromium") {
      // One chromium for both (chromium-backends.ts), started at the first vector.
      try {
        const { chromiumMissing } = await import("../../compiler3-emit/src/browser/chromium.ts");
        const missing = chromiumMissing();
        if (missing !== undefined) progress(`${name}: every program vector skipped: ${missing}`);
        const { HandleAbiChromiumBackend, WasmGcChromiumBackend } = await import("./chromium-backends.ts");
        const Chromium = name === "wasmgc-chromium" ? WasmGcChromiumBackend : HandleAbiChromiumBackend;
        backends.push(new Chromium({ timeoutMs: timeout * 1000 }));
      } catch (e) {
        failEverything(name, ["program"], `cannot load the chromium backend: ${(e as Error).message}`);
      }
    }
  }

  const programs = new ProgramCache();
  try {
    for (const [i, file] of files.entries()) {
      const results = await runFile(file, backends, programs, (line) => progress(`[${i + 1}/${files.length}] ${line}`));
      cases.push(...results);
    }
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }

  process.stdout.write(`\n${formatMatrix(cases, names)}\n`);
  const failures = formatFailures(cases, Number(args.failures) || 20);
  if (failures) process.stdout.write(`\n${failures}\n`);
  if (args.report !== undefined) {
    const report = {
      backends: Object.fromEntries(names.map((b) => [b, tally(cases, b)])),
      cases,
    };
    writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
    progress(`report written to ${args.report}`);
  }
  const failed = cases.filter((c) => c.status === "failed").length;
  const passed = cases.filter((c) => c.status === "passed").length;
  const skipped = cases.filter((c) => c.status === "skipped").length;
  process.stdout.write(`\nconformance: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  return failed > 0 || cases.length === 0 ? 1 : 0;
}

// An interrupted or crashing runner must not leave a testee running a guest
// (a looping one burns a core until its request times out): end them all.
// Node's exit code for a signal is 128 + its number.
process.on("exit", killTestees);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  process.on(signal, () => {
    process.stderr.write(`conformance: ${signal}: ending the testees\n`);
    killTestees();
    process.exit(code);
  });
}
// `kill -TERM` of the npm that started the runner does not reach the runner
// (npm does not forward it): when the parent is gone, end as if signalled.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    process.stderr.write("conformance: the parent process is gone: ending the testees\n");
    killTestees();
    process.exit(129);
  }
}, 500).unref();
process.exitCode = await main();
