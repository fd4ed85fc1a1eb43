// Wrapper-owned weak host edges (collection.md §4.7) in `npm test`: the
// property test (wrapper-edges-property.ts, which needs --expose-gc, so it
// runs as a child process) with a bounded count, and its mutation check —
// each barrier site left out in turn must be caught losing a host value.
// The long run (10,000 programs) is `npm run test:edges`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const script = fileURLToPath(new URL("./wrapper-edges-property.ts", import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("weak host edges: the property test", () => {
  test("200 random programs lose no reachable host value", async () => {
    const r = await run(["--runs", "200", "--seed", "1"]);
    expect(r.out).toContain("no reachable host value lost");
    expect(r.code).toBe(0);
  });
  test.each(["frame", "value", "anyHandle"])("with the barrier left out at %s, it finds a lost host value", async (site) => {
    const r = await run(["--runs", "3000", "--seed", "1", "--skip", site]);
    expect(r.out).toContain("a lost host value found");
    expect(r.code).toBe(0);
  });
});
