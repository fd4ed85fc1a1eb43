// Host calls in a browser (host.md §11.5): a build folder's loader given a
// host library by URL (LoadOptions.hostLibrary) runs a program with host
// imports on WasmGC in Debian's chromium — its Web Worker imports the
// library — and without one the run is refused, naming the import. The
// conformance suite's wasmgc-chromium backend runs every host vector the
// same way; this checks the loader's own option. Without chromium the test
// is skipped with the reason printed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumMissing, launchChromium } from "../src/browser/chromium.ts";
import { folderFiles, writeFolder } from "../src/browser/folder.ts";
import { serveStatic, type StaticServer } from "../src/browser/static-server.ts";
import { bundleEsm } from "../src/bundle/esbuild.ts";
import { loadProgram } from "../src/ir/load.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const missing = chromiumMissing();
if (missing !== undefined) console.warn(`chromium-host.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)("host calls through a build folder's loader in chromium", () => {
  const tmp = mkdtempSync(join(tmpdir(), "vm3-chromium-host-"));
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    const file = join(repo, "conformance/programs/host/basic.ir");
    const { program } = loadProgram(file, readFileSync(file));
    // Only the WasmGC module runs here (no probe override): the handle-ABI file is a placeholder.
    const files = await folderFiles(program, { wasmgc: emitWasmGc(program, { optimize: true }), handleAbi: new Uint8Array() }, "basic.ir");
    files.set("host-library.js", await bundleEsm(join(repo, "conformance/host/library.ts")));
    writeFolder(join(tmp, "site"), files, false);
    server = await serveStatic({ "/": join(tmp, "site") });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test("with hostLibrary the program's host calls run; without, the run is refused", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    // A string, not a function: vitest would rewrite a function's dynamic import() for Node.
    const shown = (await page.evaluate(`(async () => {
      const { load, formatOutcome } = await import("${server.origin}/vm3-loader.js");
      const prog = await load(undefined, { hostLibrary: "host-library.js" });
      const out = [prog.engine];
      out.push(formatOutcome(await prog.run([42])));
      out.push(formatOutcome(await prog.run([], { entry: "greeting" })));
      out.push(formatOutcome(await prog.run([], { entry: "failing" })));
      out.push(formatOutcome(await prog.run([], { entry: "freed_arg" })));
      prog.close();
      const bare = await load();
      out.push(formatOutcome(await bare.run([42])));
      bare.close();
      return out;
    })()`)) as string[];
    expect(shown.slice(0, 5)).toEqual(["wasmgc", "42", "hello, vm3", "trap HOST_ERROR (code 16)", "trap STALE_HANDLE (code 4)"]);
    expect(shown[5]).toMatch(/^refused: .*@box/);
    await page.close();
  }, 120_000);
});
