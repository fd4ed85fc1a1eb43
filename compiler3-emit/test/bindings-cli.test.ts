// `vm3 emit --bindings` as a user meets it (bindings.md §4): the folder it
// writes is imported by plain Node (no project imports, no type stripping),
// type-checks a TypeScript consumer against the generated .d.ts, collects
// Igalia's m1 cycle made through the typed API on both targets, and runs in
// Debian's chromium. Without chromium that part is skipped with the reason.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumMissing, launchChromium } from "../src/browser/chromium.ts";
import { serveStatic, type StaticServer } from "../src/browser/static-server.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixture = join(repo, "compiler3-emit/test/fixtures/bindings/shapes.ir");
const tmp = mkdtempSync(join(tmpdir(), "vm3-bindings-"));
const out = join(tmp, "out");

function vm3(...args: string[]) {
  return spawnSync(process.execPath, ["compiler3-emit/src/cli/vm3.ts", ...args], { cwd: repo, encoding: "utf8" });
}

function node(script: string, ...flags: string[]) {
  const file = join(out, `script-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  // cwd outside the checkout: the folder must stand alone.
  return spawnSync(process.execPath, [...flags, file], { cwd: tmp, encoding: "utf8", timeout: 120_000 });
}

beforeAll(() => {
  const r = vm3("emit", fixture, "--bindings", out, "-O");
  if (r.status !== 0) throw new Error(`vm3 emit --bindings failed: ${r.stderr}`);
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("vm3 emit --bindings", () => {
  test("writes the modules, NAME.js, NAME.d.ts and the runtime, and says so", () => {
    expect(readdirSync(out).sort()).toEqual(["package.json", "shapes.d.ts", "shapes.handle-abi.wasm", "shapes.js", "shapes.wasmgc.wasm", "vm3-bindings.d.ts", "vm3-bindings.js"]);
    const again = vm3("emit", fixture, "--bindings", join(tmp, "named"), "--name", "geo");
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/wrote .*named: geo\.wasmgc\.wasm \(\d+ B\), geo\.handle-abi\.wasm/);
  }, 120_000);

  test("usage errors: --bindings with --target or -o, a bad --name, --name alone", () => {
    expect(vm3("emit", fixture, "--bindings", out, "--target", "wasmgc")).toMatchObject({ status: 2, stderr: expect.stringMatching(/no --target or -o with it/) });
    expect(vm3("emit", fixture, "--bindings", out, "--name", "a/b")).toMatchObject({ status: 2, stderr: expect.stringMatching(/--name a\/b: a module name is/) });
    expect(vm3("emit", fixture, "--name", "x", "--target", "wasmgc", "-o", join(tmp, "x.wasm"))).toMatchObject({ status: 2, stderr: expect.stringMatching(/--name goes with --bindings/) });
    expect(vm3("emit", fixture, "--bindings")).toMatchObject({ status: 2, stderr: expect.stringMatching(/--bindings needs a value/) });
  }, 120_000);

  test("a DIR whose parent is missing, or a file in its place, is an error naming it (exit 1); nothing is written", () => {
    const missing = join(tmp, "no-such-parent", "out");
    expect(vm3("emit", fixture, "--bindings", missing)).toMatchObject({ status: 1, stderr: expect.stringContaining(`cannot write into ${missing}: ENOENT`) });
    const file = join(tmp, "a-file");
    writeFileSync(file, "x");
    expect(vm3("emit", fixture, "--bindings", file)).toMatchObject({ status: 1, stderr: expect.stringContaining(`cannot write into ${file}: ENOTDIR`) });
  }, 120_000);

  test("plain Node imports the folder and calls the program on both targets", () => {
    const r = node(`
      import { instantiate } from "./shapes.js";
      import { Trap } from "./vm3-bindings.js";
      const rows = [];
      for (const target of ["wasmgc", "handle-abi"]) {
        const m = await instantiate({ target, host: { visit: (n) => n.value * 10n, pick: (a, b) => a ?? b } });
        const p = m.$new.Point(3, 4, "p");
        const list = m.cons(1n, m.cons(2n, null));
        let trap;
        try { m.$new.listI64().get(0); } catch (e) { trap = e instanceof Trap ? e.code : String(e); }
        rows.push([m.$engine, String(m.double(21)), m.norm(p), m.greet("node"), String(m.length(list)), String(m.visit(list)), trap].join(" "));
      }
      console.log(rows.join("\\n"));
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toEqual(["wasmgc 42 5 hello, node 2 10 5", "handle-abi 42 5 hello, node 2 10 5"]);
  }, 120_000);

  test("a TypeScript consumer type-checks against NAME.d.ts, and a mistyped call does not", () => {
    writeFileSync(
      join(out, "consumer.ts"),
      `import { instantiate, type Node, type Point } from "./shapes.js";
const m = await instantiate({ host: { visit: (n: Node | null) => n?.value ?? 0n, pick: (a: Node | null, b: Node | null) => a ?? b } });
const p: Point = m.$new.Point(1, 2, null);
const n: number = m.norm(p);
const l: bigint = m.length(m.cons(1, null));
const s: string | null = m.greet("x");
p.label = "ok";
// @ts-expect-error a string is no i64
m.double("1");
// @ts-expect-error an f64 field takes a number
p.x = 1n;
// @ts-expect-error a Point is no Node
m.length(p);
console.log(n, l, s);
`,
    );
    writeFileSync(join(out, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "es2022", module: "nodenext", strict: true, noEmit: true, lib: ["es2022", "esnext.disposable", "dom"], types: [] }, files: ["consumer.ts"] }));
    const tsc = spawnSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", join(out, "tsconfig.json")], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);

  test("m1 through the typed API — each object's host callback captures its own wrapper — is collected on both targets", () => {
    const n = 20_000;
    const r = node(
      `
      import { instantiate } from "./shapes.js";
      const tick = () => new Promise((r) => setTimeout(r, 0));
      const rows = [];
      for (const target of ["wasmgc", "handle-abi"]) {
        const m = await instantiate({ target, host: { visit: () => 0n, pick: (a) => a } });
        let finalized = 0;
        const registry = new FinalizationRegistry(() => finalized++);
        const base = m.$heap?.liveSlots() ?? 0;
        // In a function: V8 keeps a suspended top-level-await module's loop scopes alive.
        const firstValue = (() => {
          let first;
          for (let i = 0; i < ${n}; i++) {
            const o = m.cons(BigInt(i), null);
            const cb = () => o;          // m1: the callback holds the object's own wrapper
            o.tag = cb;                  // ... and the object holds the callback (a Host slot / externref)
            registry.register(cb, i);
            if (i === 0) first = o;
          }
          return first.tag().value;
        })();
        for (let k = 0; k < 4; k++) { for (let j = 0; j < 3; j++) { await tick(); gc(); } await tick(); m.$heap?.collect(); }
        rows.push({ target, firstValue: String(firstValue), finalized, live: m.$heap === undefined ? null : m.$heap.liveSlots() - base });
      }
      console.log(JSON.stringify(rows));
    `,
      "--expose-gc",
    );
    expect(r.stderr).toBe("");
    const rows = JSON.parse(r.stdout) as { target: string; firstValue: string; finalized: number; live: number | null }[];
    for (const row of rows) {
      expect(row.firstValue).toBe("0");
      // Conservative engines may keep a few; what must not happen is the plain-finalizer leak of all N.
      expect(row.finalized, JSON.stringify(row)).toBeGreaterThan(n * 0.99);
    }
    expect(rows[1]!.live, JSON.stringify(rows[1])).toBeLessThan(n * 0.02);
  }, 180_000);
});

const missing = chromiumMissing();
if (missing !== undefined) console.warn(`bindings-cli.test.ts: the chromium part is skipped: ${missing}`);

describe.skipIf(missing !== undefined)("the bindings folder in chromium", () => {
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serveStatic({ "/": out });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a page imports NAME.js and calls the program on WasmGC and on the handle-ABI fallback", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    // A string, not a function: vitest would rewrite a function's dynamic import() for Node.
    const rows = (await page.evaluate(`(async () => {
      const { instantiate } = await import("${server.origin}/shapes.js");
      const rows = [];
      for (const options of [{}, { target: "handle-abi" }, { probeOverride: { gc: false } }]) {
        const m = await instantiate({ ...options, host: { visit: (n) => n.value, pick: (a, b) => a ?? b } });
        const xs = m.$new.listI64();
        for (let i = 1; i <= 4; i++) xs.push(i);
        const list = m.cons(7n, null);
        rows.push([m.$engine, String(m.sum(xs)), m.greet("chromium"), String(m.visit(list)), m.pick(null, list) === list].join(" "));
      }
      return rows;
    })()`)) as string[];
    expect(rows).toEqual(["wasmgc 10 hello, chromium 7 true", "handle-abi 10 hello, chromium 7 true", "handle-abi 10 hello, chromium 7 true"]);
    await page.close();
  }, 120_000);
});
