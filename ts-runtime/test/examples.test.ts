// The README's example runs and prints what the README says.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("examples/quickstart.ts", () => {
  const script = fileURLToPath(new URL("../examples/quickstart.ts", import.meta.url));
  const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.stdout.split("\n")).toEqual([
    "vm3: list_get: OUT_OF_BOUNDS: index 7 outside [0, 1)",
    "0",
    "1",
    "vm3: list_len: STALE_HANDLE: List#0@g0: the slot is free",
    "",
  ]);
});
