// The playground (compiler3-emit/playground, DESIGN §11) end to end: the
// server's flags; then the real server on a free port, the page in Debian's
// chromium as a user drives it — pick binary_trees and a vector, run it on
// the interpreter, WasmGC and handle-ABI (compiled in the page by
// binaryen.js), read each shown result against conformance/programs/heap.json,
// type garbage on a line and read the error with its line number (in the
// list and as a lint mark on that line), reload and find the state again,
// and end a runaway program with the time limit. Screenshots go to
// test/.artifacts/. Without chromium the browser part is skipped with the
// reason printed.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumMissing, launchChromium } from "../src/browser/chromium.ts";
import type { StaticServer } from "../src/browser/static-server.ts";
import { corpusIndex } from "../playground/build.ts";
import { DEFAULT_PORT, parseArgs, startPlayground } from "../playground/serve.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const artifacts = fileURLToPath(new URL("./.artifacts/", import.meta.url));

interface Vector { name: string; program: string; args: number[]; expect: { i64?: number } }
const heapVectors = (JSON.parse(readFileSync(`${repo}conformance/programs/heap.json`, "utf8")) as { programs: Vector[] }).programs;
const BT10 = heapVectors.find((v) => v.program === "heap/binary_trees.ir" && v.args.length === 1 && v.args[0] === 10)!;

describe("playground server", () => {
  test("flags: --port N, --port=N, --help; anything else is a usage error", () => {
    expect(parseArgs([])).toEqual({ help: false, port: DEFAULT_PORT });
    expect(parseArgs(["--port", "0"])).toEqual({ help: false, port: 0 });
    expect(parseArgs(["--port=9000"])).toEqual({ help: false, port: 9000 });
    expect(parseArgs(["--help"])).toEqual({ help: true });
    expect(parseArgs(["--port"])).toEqual({ error: "--port needs a number" });
    expect(parseArgs(["--port", "x"])).toMatchObject({ error: expect.stringContaining("not a port number") });
    expect(parseArgs(["--port", "70000"])).toMatchObject({ error: expect.stringContaining("not a port number") });
    expect(parseArgs(["--verbose"])).toEqual({ error: "unknown argument --verbose" });
  });

  test("the corpus index lists every .ir with its vectors as presets", () => {
    const index = corpusIndex();
    const paths = index.programs.map((p) => p.path);
    expect(paths).toContain("heap/binary_trees.ir");
    expect(paths).toContain("traps/use_after_free.ir");
    expect(paths).toContain("corpus/n_body.ir");
    const bt = index.programs.find((p) => p.path === "heap/binary_trees.ir")!;
    expect(bt.presets).toContainEqual(expect.objectContaining({ name: BT10.name, entry: "", args: ["10"], expect: String(BT10.expect.i64) }));
    const runaway = index.programs.find((p) => p.path === "runaway/runaway.ir");
    expect(runaway?.presets.find((p) => p.entry === "churn")).toMatchObject({ expect: "timeout", timeoutMs: 1000 });
  });
});

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`playground.test.ts: chromium tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)("the playground page in chromium", () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];
  const foreign: string[] = []; // requests that left the playground's own server

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const started = await startPlayground(0);
    server = started.server;
    url = started.url;
    console.log(`playground: bundles built in ${started.build.ms.toFixed(0)} ms (page ${started.build.pageBytes} B, worker ${started.build.workerBytes} B)`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith(`${server.origin}/`) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector("#status[data-ready]", { timeout: 60_000 });
    console.log(`playground: page ready (binaryen.js loaded, editor up) in ${(performance.now() - t0).toFixed(0)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const row = (engine: string) => page.locator(`tr[data-engine="${engine}"]`);
  const shown = (engine: string) => row(engine).locator("output[data-testid=value]");
  const moduleBytes = async (engine: string) => Number((await row(engine).locator(".size").innerText()).split(" B")[0]!.replace(/,/g, ""));
  let plainBytes = 0;

  test("pick binary_trees and its n = 10 vector, run each engine, read the results", async () => {
    await page.selectOption("#program", "heap/binary_trees.ir");
    await page.waitForSelector(".problems.ok");
    await page.selectOption("#preset", { label: `${BT10.name}: (10) → ${BT10.expect.i64}` });
    expect(await page.inputValue("#args")).toBe("10");
    for (const [engine, button] of [["interp", "Run interpreter"], ["wasmgc", "Run WasmGC"], ["handle-abi", "Run handle-ABI"]] as const) {
      const t0 = performance.now();
      await page.getByRole("button", { name: button, exact: true }).click();
      await expect.poll(() => row(engine).getAttribute("data-state"), { timeout: 60_000 }).toBe("done");
      const text = await row(engine).innerText();
      console.log(`playground: ${engine}: ${text.replace(/\s+/g, " ")} (click to result ${(performance.now() - t0).toFixed(0)} ms)`);
      expect(await shown(engine).textContent()).toBe(String(BT10.expect.i64));
      expect(text).toContain("✓ expected");
    }
    expect(await row("interp").locator(".size").innerText()).toBe("—");
    expect(await row("wasmgc").locator(".size").innerText()).toMatch(/^[\d,]+ B/);
    plainBytes = await moduleBytes("wasmgc");
    expect(await row("handle-abi").locator(".size").innerText()).toMatch(/^[\d,]+ B/);
    expect(await row("wasmgc").locator(".heap").innerText()).toBe("engine-managed");
    for (const engine of ["interp", "handle-abi"]) {
      const heap = await row(engine).locator(".heap").innerText();
      expect(heap).toMatch(/live slots\s+[\d,]+/);
      expect(heap).toMatch(/peak live\s+[\d,]+/);
      expect(heap).toMatch(/collections\s+[\d,]+/);
    }
    await page.locator("#wat summary").click();
    await expect.poll(() => page.locator("#wat-text").textContent()).toMatch(/^\(module/);
    await page.getByRole("tab", { name: "handle-ABI" }).click();
    await expect.poll(() => page.locator("#wat-text").textContent()).toContain('(import "vm3"');
    await page.screenshot({ path: `${artifacts}playground-run.png` });
  });

  test("-O recompiles: the optimised modules give the same result", async () => {
    await page.check("#optimize");
    await page.getByRole("button", { name: "Run all" }).click();
    for (const engine of ["interp", "wasmgc", "handle-abi"]) {
      await expect.poll(() => shown(engine).textContent(), { timeout: 60_000 }).toBe(String(BT10.expect.i64));
    }
    expect(await moduleBytes("wasmgc")).toBeLessThan(plainBytes); // the optimised module
    await page.uncheck("#optimize");
  });

  /** Puts the cursor at the end of line `n` (1-based) of the editor. */
  async function goToLineEnd(n: number): Promise<void> {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Home");
    for (let i = 1; i < n; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
  }
  const lineOf = (needle: string) => readFileSync(`${repo}conformance/programs/heap/binary_trees.ir`, "utf8").split("\n").findIndex((l) => l.includes(needle)) + 1;

  test("a validator error as one types: the list and the lint mark name its line", async () => {
    const target = lineOf("v9 = call.i64 @check(v8)");
    expect(target).toBeGreaterThan(1);
    await goToLineEnd(target);
    await page.keyboard.press("Shift+Home");
    await page.keyboard.type("v9 = call.i64 @check(v7)");
    const first = page.locator("#problems li").first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toBe(`line ${target}: func binary_trees: b2: v9: arg 0 v7 has type i64, want struct<Node>`);
    await expect.poll(() => page.locator(".cm-lintRange-error").count()).toBe(1);
    // Undo: valid again.
    await page.keyboard.press("Control+z");
    await page.waitForSelector(".problems.ok");
  });

  test("garbage typed on a line: the parse error names that line, in the list and on the line", async () => {
    const target = lineOf("v8 = call.struct<Node> @make(v7)");
    await goToLineEnd(target);
    await page.keyboard.type(" garbage");
    const first = page.locator("#problems li").first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^line ${target}:\\d+: .*"garbage"`));
    console.log(`playground: error shown: ${await first.textContent()}`);
    // The lint mark sits on that line: its text is the garbage's line.
    const mark = page.locator(".cm-lintRange-error").first();
    await expect.poll(() => mark.count()).toBe(1);
    const markedLine = await mark.evaluate((e) => (e as unknown as { closest(s: string): { textContent: string } }).closest(".cm-line").textContent);
    expect(markedLine).toContain("@make(v7) garbage");
    await page.getByRole("button", { name: "Run interpreter" }).click();
    await expect.poll(() => row("interp").innerText()).toContain("the program has errors");
    await page.screenshot({ path: `${artifacts}playground-error.png` });
  });

  test("a reload keeps the program, the edited text, the entry, the arguments and the time limit", async () => {
    // Entries are read from the last valid text: undo the garbage, pick pow2, then break the text again.
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+z");
    await page.waitForSelector(".problems.ok");
    await page.selectOption("#entry", "pow2");
    await page.locator(".cm-content").focus();
    await page.keyboard.press("Control+y"); // redo
    await page.waitForSelector(".problems.bad");
    await page.fill("#timeout", "4000");
    await expect.poll(() => page.evaluate<string>("location.hash"), { timeout: 5_000 }).toContain("timeout=4000");
    const hash = await page.evaluate<string>("location.hash");
    expect(hash).toContain("prog=heap%2Fbinary_trees.ir");
    expect(hash).toContain("args=10");
    expect(hash).toContain("src=");
    await page.reload();
    await page.waitForSelector("#status[data-ready]", { timeout: 60_000 });
    expect(await page.inputValue("#program")).toBe("heap/binary_trees.ir");
    expect(await page.inputValue("#args")).toBe("10");
    expect(await page.inputValue("#timeout")).toBe("4000");
    expect(hash).toContain("entry=pow2");
    expect(await page.locator(".cm-content").innerText()).toContain("@make(v7) garbage");
    await expect.poll(() => page.locator("#problems li").first().textContent(), { timeout: 10_000 }).toMatch(/^line \d+/);
    expect(await page.isVisible("#edited")).toBe(true);
    // Reverting gives back the file, and the run works again.
    await page.getByRole("button", { name: "revert to file" }).click();
    await page.waitForSelector(".problems.ok");
    expect(await page.inputValue("#entry")).toBe("pow2"); // kept through the reload
    await page.selectOption("#entry", "");
    await page.getByRole("button", { name: "Run WasmGC" }).click();
    await expect.poll(() => shown("wasmgc").textContent(), { timeout: 60_000 }).toBe(String(BT10.expect.i64));
  });

  test("a trap shows its name and code on every engine", async () => {
    await page.selectOption("#program", "traps/use_after_free.ir");
    await page.waitForSelector(".problems.ok");
    expect(await page.inputValue("#args")).toBe("1"); // the first vector's arguments
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Enter"); // runs all
    for (const engine of ["interp", "wasmgc", "handle-abi"]) {
      await expect.poll(() => shown(engine).textContent(), { timeout: 60_000 }).toBe("trap STALE_HANDLE");
      expect(await row(engine).locator(".code").textContent()).toBe(" code 4");
      expect(await row(engine).innerText()).toContain("✓ expected");
    }
    expect(await row("interp").locator(".detail").first().textContent()).toContain("func use_after_free: b0: v3");
    expect(await page.isVisible("#edited")).toBe(false); // Ctrl+Enter ran; it inserted no line
    await page.screenshot({ path: `${artifacts}playground-trap.png` });
  });

  test("a runaway program ends at the time limit and the page stays live", async () => {
    await page.selectOption("#program", "runaway/runaway.ir");
    await page.waitForSelector(".problems.ok");
    await page.selectOption("#preset", { index: 1 }); // spin-forever, timeoutMs 1000
    expect(await page.inputValue("#timeout")).toBe("1000");
    await page.getByRole("button", { name: "Run WasmGC" }).click();
    await expect.poll(() => shown("wasmgc").textContent(), { timeout: 30_000 }).toBe("timeout");
    expect(await row("wasmgc").innerText()).toContain("✓ expected");
    expect(await page.evaluate(() => 1 + 1)).toBe(2); // the page answers
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]); // no CDN, no web fonts: nothing but this server
  });
});
