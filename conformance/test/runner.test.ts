// The runner survives bad testees and bad files, and reports in the promised
// JSON shape.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { judgeVector } from "../runner/judge.ts";
import { ProcessBackend } from "../runner/process-backend.ts";
import { loadVectorFile } from "../runner/vector-files.ts";

const RUNNER = fileURLToPath(new URL("../runner/main.ts", import.meta.url));
const request = { vector: { name: "v", steps: [{ op: "COLLECT" as const }] } };

function fakeTestee(script: string, timeoutMs = 2000): ProcessBackend {
  return new ProcessBackend("fake", process.execPath, ["-e", script], timeoutMs);
}

describe("process backend", () => {
  it("reports a testee that exits as a failure of the case, then starts a new one", async () => {
    const backend = fakeTestee("process.stderr.write('boom'); process.exit(3)");
    await expect(backend.serve(request)).rejects.toThrow(/testee exited \(status 3\); stderr: boom/);
    await expect(backend.serve(request)).rejects.toThrow(/testee exited/);
    await backend.close();
  });

  it("reports a testee that hangs", async () => {
    const backend = fakeTestee("setInterval(() => {}, 1000)", 300);
    await expect(backend.serve(request)).rejects.toThrow(/no answer within 0.3 s/);
    await backend.close();
  });

  it("reports a frame that is not a TesteeResponse", async () => {
    const backend = fakeTestee("process.stdin.once('data', () => process.stdout.write(Buffer.from([3, 0, 0, 0, 0xff, 0xff, 0xff])))");
    await expect(backend.serve(request)).rejects.toThrow(/not a TesteeResponse/);
    await backend.close();
  });
});

describe("vector files", () => {
  it("names the file and JSON path of a schema error", () => {
    const dir = mkdtempSync(join(tmpdir(), "vm3-vec-"));
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ suite: "x", vectors: [{ name: "v", steps: [{ op: "FREE", cells: [{ reff: "a" }] }] }] }));
    const loaded = loadVectorFile(path, dir);
    expect(loaded).toEqual({ path: "bad.json", message: expect.stringMatching(/\$\.vectors\[0\]\.steps\[0\]\.cells\[0\]\.reff: unknown field/) });
    writeFileSync(path, "{ not json");
    expect(loadVectorFile(path, dir)).toEqual({ path: "bad.json", message: expect.stringMatching(/not valid JSON/) });
  });
});

describe("judging", () => {
  it("names the step and both sides of a mismatch", () => {
    const vector = { steps: [{ op: "LIST_NEW" as const, ints: [1n], bind: "l" }, { op: "LIST_GET" as const, cells: [{ ref: "l" }], ints: [3n], expect: { trap: "OUT_OF_BOUNDS" as const } }] };
    const verdict = judgeVector(vector, { outcomes: [{ cell: 0xffff_1000_0000_0000n }, { trap: "STALE_HANDLE" }] });
    expect(verdict).toEqual({ passed: false, detail: "step 1 (LIST_GET): expected trap OUT_OF_BOUNDS, got trap STALE_HANDLE" });
  });

  it("fails a step with no expect that traps", () => {
    expect(judgeVector({ steps: [{ op: "COLLECT" }] }, { outcomes: [{ trap: "BAD_CELL" }] }).passed).toBe(false);
  });
});

describe("npm run conformance", () => {
  const run = (args: string[]) => spawnSync(process.execPath, [RUNNER, ...args], { encoding: "utf8" });

  it("prints help", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--vectors DIR/);
  });

  it("writes the report and exits 1 when a vector fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "vm3-run-"));
    const vectors = [
      { name: "passes", steps: [{ op: "LIST_NEW", ints: [2], bind: "l" }, { op: "LIST_LEN", cells: [{ ref: "l" }], expect: { int: 2 } }] },
      { name: "fails", steps: [{ op: "LIST_NEW", ints: [2], bind: "l" }, { op: "LIST_LEN", cells: [{ ref: "l" }], expect: { int: 3 } }] },
    ];
    writeFileSync(join(dir, "v.json"), JSON.stringify({ suite: "tiny", vectors }));
    const report = join(dir, "report.json");
    const r = run(["--only", dir, "--backend", "ts-runtime", "--report", report]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/tiny\s+1\/1\/0/);
    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json.backends).toEqual({ "ts-runtime": { passed: 1, failed: 1, skipped: 0 } });
    expect(json.cases).toContainEqual({ suite: "tiny", name: "fails", backend: "ts-runtime", status: "failed", detail: "step 1 (LIST_LEN): expected int 3, got int 2" });
  });

  it("rejects an unknown backend with usage status 2", () => {
    expect(run(["--backend", "jvm"]).status).toBe(2);
  });
});
