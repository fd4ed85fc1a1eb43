// `npm run bench:browser [-- --rounds N] [-- --kernels a,b]`: the programs
// table measured in Chromium beside the same columns in this Node (DESIGN
// §10, §11). For five kernels of conformance/programs it emits the WasmGC
// and handle-ABI modules (-O) here, then times, with kernel-timing.ts in
// both engines, the WasmGC module, the handle-ABI module on the TypeScript
// heap and the hand-written JavaScript kernel — interleaved rounds, medians,
// each column's ratio to the JavaScript of the same engine. The page is a
// static page served on 127.0.0.1; Debian's chromium runs it headless
// (compiler3-emit/src/browser/chromium.ts). Without chromium the Node
// columns still print and the Chromium ones say why.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromiumMissing, launchChromium } from "../src/browser/chromium.ts";
import { serveStatic } from "../src/browser/static-server.ts";
import { bundleEsm } from "../src/bundle/esbuild.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import { type KernelJob, type KernelRow, timeKernel } from "./kernel-timing.ts";

const PROGRAMS = fileURLToPath(new URL("../../conformance/programs/", import.meta.url));

/** n for WasmGC and JS (one JS run about 50–300 ms here), and the smaller n where handle-ABI runs too (the programs table's second row). */
const KERNELS = [
  { name: "binary_trees", file: "heap/binary_trees.ir", n: 16, smallN: 12 },
  { name: "lists_fill_sum", file: "corpus/lists_fill_sum.ir", n: 3_000_000, smallN: 1_000_000 },
  { name: "n_body", file: "corpus/n_body.ir", n: 1_000_000, smallN: 50_000 },
  { name: "nsieve", file: "corpus/nsieve.ir", n: 3_000_000, smallN: 1_000_000 },
  { name: "mandelbrot", file: "corpus/mandelbrot.ir", n: 1500, smallN: 200, jsMayDiffer: true },
] as const;

const HELP = `usage: npm run bench:browser -- [--rounds N] [--kernels NAME,NAME]

Times WasmGC, handle-ABI (TypeScript heap) and plain JavaScript for the
kernels ${KERNELS.map((k) => k.name).join(", ")} in headless Chromium and in
this Node, and prints medians of N interleaved rounds (default 5) with each
column's ratio to the JavaScript of the same engine.`;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({ options: { rounds: { type: "string", default: "5" }, kernels: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (e) {
    console.error(`bench:browser: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const rounds = Number(values.rounds);
  const names = values.kernels?.split(",") ?? KERNELS.map((k) => k.name);
  const unknown = names.filter((n) => !KERNELS.some((k) => k.name === n));
  if (!Number.isInteger(rounds) || rounds < 1 || unknown.length > 0) {
    console.error(`bench:browser: ${unknown.length > 0 ? `unknown kernel ${unknown.join(", ")}` : `--rounds wants a positive integer, got ${values.rounds}`}\n\n${HELP}`);
    return 2;
  }
  const jobs: KernelJob[] = KERNELS.filter((k) => names.includes(k.name)).map((k) => {
    const source = readFileSync(join(PROGRAMS, k.file), "utf8");
    const { program } = parseText(source, k.file);
    return {
      name: k.name, source, n: k.n, smallN: k.smallN, rounds, jsMayDiffer: "jsMayDiffer" in k,
      wasmgc: emitWasmGc(program, { optimize: true }), handleAbi: emitHandleAbi(program, { optimize: true }),
    };
  });

  const chromium = new Map<string, KernelRow[]>();
  const missing = chromiumMissing();
  let browserVersion = "";
  if (missing === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "vm3-bench-browser-"));
    writeFileSync(join(dir, "timing.js"), await bundleEsm(fileURLToPath(new URL("./kernel-timing.ts", import.meta.url))));
    writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><title>vm3 bench</title><script type="module">import { timeKernel } from "./timing.js"; globalThis.timeKernel = timeKernel;</script>`);
    const server = await serveStatic({ "/": dir });
    const browser = await launchChromium();
    try {
      browserVersion = browser.version();
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => "timeKernel" in globalThis);
      for (const job of jobs) {
        process.stderr.write(`chromium: ${job.name} …\n`);
        const wire = { ...job, wasmgc: [...job.wasmgc], handleAbi: [...job.handleAbi] };
        const rows = await page.evaluate((j) => {
          const t = (globalThis as unknown as { timeKernel: typeof timeKernel }).timeKernel;
          return t({ ...j, wasmgc: new Uint8Array(j.wasmgc), handleAbi: new Uint8Array(j.handleAbi) });
        }, wire);
        chromium.set(job.name, rows);
      }
    } finally {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const node = new Map<string, KernelRow[]>();
  for (const job of jobs) {
    process.stderr.write(`node: ${job.name} …\n`);
    node.set(job.name, timeKernel(job));
  }

  console.log(`WasmGC and handle-ABI (-O) vs plain JS, median of ${rounds} interleaved rounds; (x) = time / JS time in the same engine`);
  console.log(`Chromium: ${missing ?? `${browserVersion} headless`}; Node ${process.version}`);
  const header = ["kernel", "n", "result", "Chromium WasmGC", "Chromium handle-ABI", "Chromium JS", "Node WasmGC", "Node handle-ABI", "Node JS"];
  const lines: string[][] = [];
  for (const job of jobs) {
    const nodeRows = node.get(job.name)!;
    const browserRows = chromium.get(job.name);
    nodeRows.forEach((row, i) => {
      const b = browserRows?.[i];
      lines.push([
        job.name, row.n.toLocaleString("en-US"), row.wasmgc.result,
        b ? cell(b.wasmgc.ms, b.js.ms) : "—", b ? cell(b.handleAbi.ms, b.js.ms) : "—", b ? cell(b.js.ms) : "—",
        cell(row.wasmgc.ms, row.js.ms), cell(row.handleAbi.ms, row.js.ms), cell(row.js.ms),
      ]);
    });
  }
  console.log(table(header, lines));
  console.log(`peak RSS (this Node process) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  return 0;
}

function cell(ms: number | undefined, jsMs?: number): string {
  if (ms === undefined) return "—";
  const t = ms >= 100 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
  return jsMs === undefined ? t : `${t} (${(ms / jsMs).toFixed(2)}x)`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

process.exitCode = await main();
