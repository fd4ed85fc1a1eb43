// An interrupted runner ends its testee processes (a looping guest would
// otherwise burn a core until its request times out): on SIGINT and
// SIGTERM, and when the process that started it is gone (npm does not
// forward a SIGTERM sent to it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "vm3-signals-"));
cpSync(join(REPO, "conformance/programs/runaway"), join(dir, "runaway"), { recursive: true });
// A vector that would keep the Go testee busy for ten minutes.
writeFileSync(join(dir, "v.json"), JSON.stringify({ suite: "sig", programs: [{ name: "spin", program: "runaway/runaway.ir", args: [0], timeoutMs: 600_000, expect: { timeout: true } }] }));
const runnerArgs = ["conformance/runner/main.ts", "--only", dir, "--backend", "handle-abi-wazero"];

const started: ChildProcess[] = [];
afterAll(() => started.forEach((c) => c.kill("SIGKILL")));

/** The pids of `pid`'s child processes whose command line matches `pattern`. */
function children(pid: number, pattern: RegExp): number[] {
  const out = spawnSync("pgrep", ["-P", String(pid), "-a"], { encoding: "utf8" }).stdout;
  return out.split("\n").filter((l) => pattern.test(l)).map((l) => Number(l.split(" ")[0]));
}
const alive = (pid: number) => spawnSync("kill", ["-0", String(pid)]).status === 0;

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function testeeOf(runner: number): Promise<number> {
  let testee: number | undefined;
  await until("the testee to start", () => (testee = children(runner, /vm3-testee/)[0]) !== undefined, 90_000);
  return testee!;
}

describe("the runner ends its testees", () => {
  it.each([["SIGINT", 130], ["SIGTERM", 143]] as const)("on %s (exit %d)", async (signal, code) => {
    const runner = spawn(process.execPath, runnerArgs, { cwd: REPO, stdio: "ignore" });
    started.push(runner);
    const testee = await testeeOf(runner.pid!);
    const exited = new Promise<number | null>((r) => runner.once("exit", (c) => r(c)));
    runner.kill(signal);
    expect(await exited).toBe(code);
    await until("the testee to end", () => !alive(testee), 10_000);
  });

  it("when the process that started it dies", async () => {
    // A parent that starts the runner and is then killed, as npm is by `kill -TERM`.
    const parent = spawn(process.execPath, ["-e", `require("node:child_process").spawn(process.execPath, ${JSON.stringify(runnerArgs)}, { cwd: ${JSON.stringify(REPO)}, stdio: "ignore" }); setInterval(() => {}, 1000);`], { stdio: "ignore" });
    started.push(parent);
    let runner: number | undefined;
    await until("the runner to start", () => (runner = children(parent.pid!, /runner\/main\.ts/)[0]) !== undefined, 30_000);
    const testee = await testeeOf(runner!);
    parent.kill("SIGKILL");
    // The runner polls its parent every 500 ms; a loaded machine (CI, or the
    // suite's other files) can delay that by seconds, so wait generously.
    await until("the runner to end", () => !alive(runner!), 30_000);
    await until("the testee to end", () => !alive(testee), 10_000);
  });
});
