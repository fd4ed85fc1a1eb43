// Building the Go host's testee binary for the go-host backend.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const GO_TESTEE_PACKAGE = "./go-host/cmd/vm3-testee";

/** Builds the testee into `buildDir`; returns its path or throws with go's output. */
export function buildGoTestee(repoRoot: string, buildDir: string): string {
  mkdirSync(buildDir, { recursive: true });
  const out = join(buildDir, "vm3-testee");
  const result = spawnSync("go", ["build", "-o", out, GO_TESTEE_PACKAGE], { cwd: repoRoot, encoding: "utf8" });
  if (result.error !== undefined) throw new Error(`cannot run go: ${result.error.message} (is Go installed and on PATH?)`);
  if (result.status !== 0) throw new Error(`go build ${GO_TESTEE_PACKAGE} failed:\n${result.stderr.trim()}`);
  return out;
}
