// `vm3 build --target browser` end to end (DESIGN §11): the folder is built
// by the real command, served by a static server and driven in Debian's
// chromium as a user would — fill the argument, click Run, read the shown
// result — on both paths (WasmGC; the handle-ABI fallback forced through the
// loader's probe override), a trap, and a runaway program that ends as a
// timeout while the page stays live. Screenshots go to test/.artifacts/.
// Without chromium the browser tests are skipped with the reason printed.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumMissing, launchChromium } from "../src/browser/chromium.ts";
import { PROBES } from "../src/browser/probes.ts";
import { serveStatic, type StaticServer } from "../src/browser/static-server.ts";
import type { CliIo } from "../src/cli/io.ts";
import { main } from "../src/cli/vm3.ts";
import { binaryen } from "../src/wasm/binaryen.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const artifacts = fileURLToPath(new URL("./.artifacts/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "vm3-browser-build-"));
// The page's DOM as the functions passed to waitForFunction see it (they run in chromium; the project has no lib "dom").
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null };
const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;

/** Runs `vm3 ARGS…` in process; → exit code and stderr. */
async function vm3(...args: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const io: CliIo = {
    out: () => {},
    err: (t) => void (err += t),
    readFile: (p) => readFileSync(p),
    writeFile: (p, d) => writeFileSync(p, d),
    replaceFile: (p, d) => writeFileSync(p, d),
  };
  const code = await main(args, io);
  return { code, err };
}

const SPIN = `# spin(n): counts up forever (no heap, no calls): only the time limit ends it.
entry @spin

func spin(v0: i64) -> i64 {
b0:
  jump b1
b1:
  v1 = phi.i64 [b0: v0], [b1: v2]
  v2 = addk.i64 v1, 1
  jump b1
}
`;

describe("probes.ts", () => {
  test.each(PROBES.map((p) => [p.name, p] as const))("the %s probe validates in Node 24, reads back as its comment says, and a corrupted copy does not", (_name, p) => {
    expect(wasm.validate(p.bytes)).toBe(true);
    const m = binaryen.readBinary(p.bytes);
    m.setFeatures(binaryen.Features.All);
    const text = m.emitText();
    m.dispose();
    if (p.name === "gc") expect(text).toMatch(/\(struct\.new \$\d[\s\S]*\(ref\.i31/);
    else expect(text).toMatch(/f64x2\.extract_lane 0\s+\(f64x2\.relaxed_madd\s+\(f64x2\.splat/);
    const bad = p.bytes.slice();
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0xff; // the last instruction's last byte
    expect(wasm.validate(bad)).toBe(false);
  });
});

describe("vm3 build: usage and the folder", () => {
  const bt = join(repo, "conformance/programs/heap/binary_trees.ir");
  test("help, usage errors (exit 2), an unreadable program (exit 1, named)", async () => {
    expect((await vm3("build", "--help")).code).toBe(0);
    expect(await vm3("build", bt, "-o", join(tmp, "x"))).toMatchObject({ code: 2, err: expect.stringContaining("missing --target") });
    expect(await vm3("build", bt, "--target", "node", "-o", join(tmp, "x"))).toMatchObject({ code: 2, err: expect.stringContaining('unknown target "node"') });
    expect(await vm3("build", bt, "--target", "browser")).toMatchObject({ code: 2, err: expect.stringContaining("missing -o DIR") });
    expect(await vm3("build", "--target", "browser", "-o", join(tmp, "x"))).toMatchObject({ code: 2, err: expect.stringContaining("missing PROG") });
    expect(await vm3("build", join(tmp, "nope.ir"), "--target", "browser", "-o", join(tmp, "x"))).toMatchObject({ code: 1, err: expect.stringContaining("nope.ir") });
  });

  test("writes the folder; refuses a non-empty DIR, replaces an earlier build with --force, never a folder that is not a build", async () => {
    const out = join(tmp, "bt-usage");
    expect((await vm3("build", bt, "--target", "browser", "-o", out)).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["index.html", "program.handle-abi.wasm", "program.json", "program.wasmgc.wasm", "vm3-loader.d.ts", "vm3-loader.js", "vm3-worker.js"]);
    expect(await vm3("build", bt, "--target", "browser", "-o", out)).toMatchObject({ code: 1, err: expect.stringContaining("not empty") });
    expect((await vm3("build", bt, "--target", "browser", "-o", out, "--force")).code).toBe(0);
    const other = join(tmp, "not-a-build");
    mkdirSync(other);
    writeFileSync(join(other, "keep.txt"), "mine");
    expect(await vm3("build", bt, "--target", "browser", "-o", other, "--force")).toMatchObject({ code: 1, err: expect.stringContaining("not an earlier vm3 build") });
    expect(readdirSync(other)).toEqual(["keep.txt"]);
    expect(readdirSync(tmp).filter((n) => n.endsWith(".tmp") || n.endsWith(".old"))).toEqual([]); // no temp folder left behind
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing external
    expect(html).toContain('from "./vm3-loader.js"');
  });
});

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`browser-build.test.ts: chromium tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)("a build folder in chromium", () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const spin = join(tmp, "spin.ir");
    writeFileSync(spin, SPIN);
    const builds: [string, string][] = [
      ["bt", join(repo, "conformance/programs/heap/binary_trees.ir")],
      ["uaf", join(repo, "conformance/programs/traps/use_after_free.ir")],
      ["spin", spin],
    ];
    for (const [name, file] of builds) {
      const r = await vm3("build", file, "--target", "browser", "-o", join(tmp, name));
      if (r.code !== 0) throw new Error(`vm3 build ${file}: ${r.err}`);
    }
    server = await serveStatic(Object.fromEntries(builds.map(([name]) => [`/${name}/`, join(tmp, name)])));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(path: string): Promise<void> {
    await page.goto(`${server.origin}${path}`);
    await page.waitForSelector("#run:not([disabled])");
  }
  /** Clicks Run and waits for the outcome; → [data-kind, shown text]. */
  async function clickRun(): Promise<[string, string]> {
    await page.click("#run");
    await page.waitForFunction(() => !["running", "none"].includes(document.querySelector("#result")?.getAttribute("data-kind") ?? "none"), undefined, { timeout: 60_000 });
    return [(await page.getAttribute("#result", "data-kind"))!, (await page.textContent("#result"))!];
  }
  const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

  test("binary_trees(10) on WasmGC (prefer=wasmgc): 135854, with the engine and why", async () => {
    await open("/bt/?prefer=wasmgc");
    await page.fill("#arg0", "10");
    expect(await clickRun()).toEqual(["ok", "135854"]);
    expect(await page.textContent("#engine")).toBe("wasmgc");
    expect(await page.textContent("#reason")).toContain("validates the GC and relaxed-SIMD probes");
    expect(await page.textContent("#time")).toMatch(/^\d+\.\d\d ms on wasmgc$/);
    await shot("binary_trees-wasmgc");
  });

  test("binary_trees(10) on the handle-ABI fallback (force-fallback=1: the GC probe made to fail)", async () => {
    await open("/bt/?force-fallback=1");
    await page.fill("#arg0", "10");
    expect(await clickRun()).toEqual(["ok", "135854"]);
    expect(await page.textContent("#engine")).toBe("handle-abi");
    expect(await page.textContent("#reason")).toContain("does not validate the WebAssembly GC probe (forced by probeOverride)");
    expect(await page.textContent("#heap")).toMatch(/^heap: peak \d+ live slots, \d+ collections/);
    await shot("binary_trees-handle-abi");
  });

  test("the engine menu reloads the program; the URL's args preset the form", async () => {
    await open("/bt/?args=7&prefer=wasmgc");
    expect(await page.inputValue("#arg0")).toBe("7");
    await page.selectOption("#prefer", "handle-abi");
    await page.waitForFunction(() => document.querySelector("#engine")?.textContent === "handle-abi");
    await page.waitForSelector("#run:not([disabled])");
    expect(await clickRun()).toEqual(["ok", "8798"]);
    expect(await page.textContent("#reason")).toContain("prefer: handle-abi");
  });

  test.each([["wasmgc", ""], ["handle-abi", "&force-fallback=1"]])("a trap on %s: STALE_HANDLE (code 4)", async (engine, q) => {
    await open(`/uaf/?args=1${q}`);
    expect(await page.textContent("#engine")).toBe(engine);
    expect(await clickRun()).toEqual(["trap", "trap STALE_HANDLE (code 4)"]);
  });

  test.each([["wasmgc", ""], ["handle-abi", "&force-fallback=1"]])("a runaway program on %s ends as timeout; the page stays live and runs again", async (engine, q) => {
    await open(`/spin/?timeout=1000${q}`);
    expect(await page.textContent("#engine")).toBe(engine);
    await page.click("#run");
    await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-kind") === "running");
    // While the worker spins, the page's own event loop runs: its tick counter advances and it answers.
    const ticks = async () => Number(await page.textContent("#alive"));
    const before = await ticks();
    await page.waitForTimeout(400);
    expect(await ticks()).toBeGreaterThan(before);
    expect(await page.getAttribute("#result", "data-kind")).toBe("running");
    await page.fill("#arg0", "5"); // the form still takes input
    await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-kind") === "timeout", undefined, { timeout: 30_000 });
    const shown = (await page.textContent("#result"))!;
    const after = /^timeout: ended after (\d+) ms \(limit 1000 ms\)$/.exec(shown);
    expect(after, shown).not.toBeNull();
    expect(Number(after![1])).toBeGreaterThanOrEqual(1000);
    if (engine === "wasmgc") await shot("spin-timeout");
    // A second click works: a fresh worker, the same limit.
    expect((await clickRun())[0]).toBe("timeout");
    expect(page.url()).toContain("args=5");
  });

  test("the loader API from a page script: number or bigint arguments, refusals, outcomes with bigints", async () => {
    await open("/bt/");
    // A string, not a function: vitest rewrites a function's import() for Node.
    const r = await page.evaluate(`(async () => {
      const m = await import(new URL("vm3-loader.js", location.href).href);
      const prog = await m.load(undefined, { prefer: "auto" });
      const ok = await prog.run([8]);
      const big = await prog.run([10n], { timeoutMs: 5000 });
      const refused = await prog.run([1, 2]);
      prog.close();
      // Every WasmGC module carries relaxed_madd (wasmgc.md §9.3): without relaxed SIMD it cannot compile.
      const noSimd = await m.load(undefined, { probeOverride: { relaxedSimd: false } });
      const noSimdRun = m.formatOutcome(await noSimd.run([6]));
      noSimd.close();
      return {
        noSimd: [noSimd.engine, noSimd.reason, noSimdRun],
        engine: prog.engine,
        entry: prog.entry,
        ok: m.formatOutcome(ok),
        i64Type: typeof big.result.value.i64,
        big: String(big.result.value.i64),
        refused: refused.kind,
        closed: await prog.run([1]).then(() => "ran", (e) => e.message),
      };
    })()`);
    expect(r).toEqual({
      noSimd: ["handle-abi", "handle-ABI fallback: this engine does not validate the relaxed SIMD (f64x2.relaxed_madd) probe (forced by probeOverride)", "4398"],
      engine: "wasmgc", entry: { name: "binary_trees", params: ["v0"] }, ok: "25774", i64Type: "bigint", big: "135854", refused: "refused", closed: "this program was closed" });
  });
});
