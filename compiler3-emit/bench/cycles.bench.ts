// `npm run bench:cycles`: Igalia's ref-cpp m0 and m1 on every target, in
// Node and in Chromium (DESIGN §12, collection.md §4.7). cycles/cycles.ir
// makes N objects, each with a host callback made for it by the host
// function @callback — in m0 a callback that captures nothing, in m1 one
// that captures the object's own wrapper (the reference object the host
// received: a HandleRef on the handle targets, the engine's reference on
// WasmGC) — invokes the first and drops them all. Then JS and heap
// collections run (cycles/run-cycles.ts), and each row reports: callbacks
// allocated, finalized (a FinalizationRegistry on them), still live, the
// heap's live slots (handle targets) and memory: a Node row's process peak
// RSS (each Node row runs in its own process), a Chromium row's JS heap in
// use at the end (performance.memory; each row in a fresh page).
//
// `--api typed` makes the objects from JS through the typed API instead
// (bindings.md: \`m.$new.Obj(null, i)\`, then \`o.cb = callback(o)\`), the
// loop a user of \`vm3 emit --bindings\` writes; "host-call" (the default) is
// the program's own loop.
//
// "weak" is the handle heap's wrapper-owned weak host edges (the default);
// "strong" is the plain-finalizer design (HeapConfig.hostEdges "strong": a
// wrapper is a pin its finalizer releases), the baseline that leaks m1.
//
//   npm run bench:cycles [-- --n 10000,1000000] [--targets interp,handle-abi,wasmgc] [--engines node,chromium,go] [--api host-call,typed]
//
// The Go rows run the handle-ABI module under wazero on the Go heap with
// Go host functions (vm3-go bench-cycles; Go's weak edges are weak.Pointer
// and runtime.AddCleanup, collection.md §4.7).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, chromiumMissing } from "../src/browser/chromium.ts";
import { serveStatic } from "../src/browser/static-server.ts";
import { bundleEsm } from "../src/bundle/esbuild.ts";
import type { Program } from "../src/ir/model.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { compileProgram } from "../src/wasm/compile-thread.ts";
import { withAccessors } from "../src/bindings/accessors.ts";
import { vm3Go, writeModule } from "./vm3-go.ts";
import { type Api, type CyclesCounts, type Design, type Mode, runCycles, type Target } from "./cycles/run-cycles.ts";

interface Row extends CyclesCounts {
  engine: "node" | "chromium" | "go";
  target: Target;
  design: Design;
  mode: Mode;
  api: Api;
  n: number;
  memory: string;
}

const self = fileURLToPath(import.meta.url);
const programText = readFileSync(new URL("./cycles/cycles.ir", import.meta.url), "utf8");

function program(api: Api): Program {
  const p = parseText(programText, "cycles.ir").program;
  return api === "typed" ? withAccessors(p) : p;
}

async function binaryOf(p: Program, target: Target, api: Api): Promise<Uint8Array | undefined> {
  if (target === "interp") return undefined;
  const compiled = await compileProgram(p, target, true, api === "typed");
  if (compiled.kind !== "ok") throw new Error(compiled.message);
  return compiled.binary;
}

const designsOf = (target: Target): Design[] => (target === "wasmgc" ? ["engine"] : ["weak", "strong"]);

async function nodeChild(target: Target, design: Design, mode: Mode, api: Api, n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("the child runs with --expose-gc");
  const p = program(api);
  const binary = await binaryOf(p, target, api);
  const counts = await runCycles({ target, design, mode, api, n, program: p, ...(binary === undefined ? {} : { binary }) }, gc);
  console.log(JSON.stringify({ ...counts, memory: `${Math.round(process.resourceUsage().maxRSS / 1024).toLocaleString("en-US")} MiB peak RSS` }));
}

function nodeRows(targets: Target[], ns: number[], apis: Api[]): Row[] {
  const rows: Row[] = [];
  for (const n of ns) {
    for (const api of apis)
    for (const target of targets) {
      if (api === "typed" && target === "interp") continue;
      for (const design of designsOf(target)) {
        for (const mode of ["m0", "m1"] as Mode[]) {
          process.stderr.write(`node ${target} ${design} ${mode} ${api} N=${n}…\n`);
          const r = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", self, "--child", target, design, mode, api, String(n)], { encoding: "utf8" });
          const line = r.stdout.trim().split("\n").pop() ?? "";
          if (r.status !== 0 || !line.startsWith("{")) {
            process.stderr.write(`  failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}\n`);
            continue;
          }
          rows.push({ engine: "node", target, design, mode, api, n, ...(JSON.parse(line) as CyclesCounts & { memory: string }) });
        }
      }
    }
  }
  return rows;
}

async function chromiumRows(targets: Target[], ns: number[], apis: Api[]): Promise<Row[]> {
  const missing = chromiumMissing();
  if (missing !== undefined) {
    process.stderr.write(`chromium: skipped: ${missing}\n`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), "vm3-bench-cycles-"));
  writeFileSync(join(dir, "cycles.js"), await bundleEsm(fileURLToPath(new URL("./cycles/run-cycles.ts", import.meta.url))));
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>vm3 cycles</title><script type="module">import { runCycles } from "./cycles.js"; globalThis.runCycles = runCycles;</script>`);
  const server = await serveStatic({ "/": dir });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS, "--js-flags=--expose-gc", "--enable-precise-memory-info"] });
  const rows: Row[] = [];
  try {
    for (const n of ns) {
      for (const api of apis)
      for (const target of targets) {
        const p = program(api);
        const binary = await binaryOf(p, target, api);
        for (const design of designsOf(target)) {
          for (const mode of ["m0", "m1"] as Mode[]) {
            process.stderr.write(`chromium ${target} ${design} ${mode} ${api} N=${n}…\n`);
            const page = await browser.newPage();
            try {
              await page.goto(`${server.origin}/`);
              await page.waitForFunction(() => "runCycles" in globalThis);
              const wire = { target, design, mode, api, n, program: JSON.parse(JSON.stringify(p, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))) as unknown, binary: binary === undefined ? undefined : [...binary] };
              const out = await page.evaluate(async (j) => {
                const g = globalThis as unknown as { runCycles: typeof runCycles; gc: () => void; performance: { memory?: { usedJSHeapSize: number } } };
                const revive = (v: unknown): unknown => (typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : Array.isArray(v) ? v.map(revive) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)])) : v);
                const job = { target: j.target, design: j.design, mode: j.mode, api: j.api, n: j.n, program: revive(j.program) as Program, ...(j.binary === undefined ? {} : { binary: new Uint8Array(j.binary) }) };
                const counts = await g.runCycles(job, () => g.gc());
                return { ...counts, used: g.performance.memory?.usedJSHeapSize ?? -1 };
              }, wire);
              const { used, ...counts } = out;
              rows.push({ engine: "chromium", target, design, mode, api, n, ...counts, memory: used < 0 ? "—" : `${Math.round(used / 2 ** 20).toLocaleString("en-US")} MiB JS heap after` });
            } catch (e) {
              process.stderr.write(`  failed: ${(e as Error).message.split("\n")[0]}\n`);
            } finally {
              await page.close();
            }
          }
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * The Go rows: the handle-ABI module under wazero on the Go heap, through the
 * bridge's host functions (`vm3-go bench-cycles`, a process per row; the
 * callbacks are Go closures, cleaned up by runtime.AddCleanup).
 */
async function goRows(ns: number[]): Promise<Row[]> {
  const go = vm3Go();
  if ("error" in go) {
    process.stderr.write(`go: skipped: ${go.error}\n`);
    return [];
  }
  const module = writeModule("cycles.handle-abi.wasm", (await binaryOf(program("host-call"), "handle-abi", "host-call"))!);
  const rows: Row[] = [];
  for (const n of ns) {
    for (const design of ["weak", "strong"] as Design[]) {
      for (const mode of ["m0", "m1"] as Mode[]) {
        process.stderr.write(`go handle-abi ${design} ${mode} N=${n}…\n`);
        const r = spawnSync(go.path, ["bench-cycles", module, "--mode", mode, "--edges", design, "--", String(n)], { encoding: "utf8" });
        const line = r.stdout.trim().split("\n").pop() ?? "";
        if (r.status !== 0 || !line.startsWith("{")) {
          process.stderr.write(`  failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}\n`);
          continue;
        }
        const c = JSON.parse(line) as CyclesCounts & { memory: string };
        rows.push({ engine: "go", target: "handle-abi", design, mode, api: "host-call", n, result: c.result, allocated: c.allocated, finalized: c.finalized, liveCallbacks: c.liveCallbacks, heapSlots: c.heapSlots, runMs: c.runMs, memory: c.memory });
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    return i < 0 ? fallback : (args[i + 1] ?? fallback);
  };
  if (args.includes("--help")) {
    console.log("usage: npm run bench:cycles [-- --n N,N,…] [--targets interp,handle-abi,wasmgc] [--engines node,chromium,go] [--api host-call,typed]\nIgalia's m0/m1 on every target, in Node (a process per row), Chromium (a page per row) and Go (vm3-go bench-cycles, the handle-ABI module under wazero; a process per row); --api typed makes the objects through the typed JS API (compiled targets only); see the file's header.");
    return;
  }
  const ns = opt("--n", "1000000").split(",").map(Number);
  const targets = opt("--targets", "interp,handle-abi,wasmgc").split(",") as Target[];
  const engines = opt("--engines", "node,chromium,go").split(",");
  const apis = opt("--api", "host-call").split(",") as Api[];
  if (ns.some((n) => !Number.isSafeInteger(n) || n < 1) || targets.some((t) => !["interp", "handle-abi", "wasmgc"].includes(t)) || engines.some((e) => e !== "node" && e !== "chromium" && e !== "go") || apis.some((a) => a !== "host-call" && a !== "typed")) {
    console.error("bench:cycles: --n wants positive integers, --targets interp, handle-abi or wasmgc, --engines node, chromium or go, --api host-call or typed");
    process.exitCode = 2;
    return;
  }
  const rows = [
    ...(engines.includes("node") ? nodeRows(targets, ns, apis) : []),
    ...(engines.includes("chromium") ? await chromiumRows(targets.filter((t) => t !== "interp"), ns, apis) : []),
    ...(engines.includes("go") && targets.includes("handle-abi") && apis.includes("host-call") ? await goRows(ns) : []),
  ];
  const fmt = (x: number): string => x.toLocaleString("en-US");
  console.log("| engine | target | design | api | test | N | allocated | finalized | still live | heap slots after | memory | run |");
  console.log("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(`| ${r.engine} | ${r.target} | ${r.design} | ${r.api} | ${r.mode} | ${fmt(r.n)} | ${fmt(r.allocated)} | ${fmt(r.finalized)} | ${fmt(r.liveCallbacks)} | ${r.heapSlots === undefined ? "—" : fmt(r.heapSlots)} | ${r.memory} | ${fmt(r.runMs)} ms |`);
  }
}

if (process.argv[2] === "--child") {
  const [target, design, mode, api, n] = process.argv.slice(3) as [Target, Design, Mode, Api, string];
  await nodeChild(target, design, mode, api, Number(n));
} else {
  await main();
}
