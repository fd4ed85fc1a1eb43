// The vm3 command line, run as a real process (`node compiler3-emit/src/cli/vm3.ts …`):
// help on every command, validate ok / invalid, fmt both ways, usage errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (n: string): string => `compiler3-emit/test/fixtures/${n}`;

function vm3(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["compiler3-emit/src/cli/vm3.ts", ...args], { cwd: repo, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), "vm3-cli-"));

describe("help", () => {
  test("vm3 --help lists the commands", () => {
    const r = vm3("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("usage: vm3 COMMAND");
    expect(r.out).toMatch(/validate\s+check a program/);
    expect(r.out).toMatch(/fmt\s+print a program/);
    expect(r.out).toMatch(/run\s+run a program's entry/);
    expect(r.out).toMatch(/emit\s+compile a program/);
  });
  test.each(["validate", "fmt"])("vm3 %s --help", (cmd) => {
    const r = vm3(cmd, "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`usage: vm3 ${cmd} PROG`);
    expect(vm3("help", cmd).out).toBe(r.out);
  });
});

describe("validate", () => {
  test("a valid program prints ok", () => {
    expect(vm3("validate", fixture("fib_rec.ir"))).toEqual({ code: 0, out: "ok\n", err: "" });
  });
  test("an invalid program prints every error with FILE:LINE and exits 1", () => {
    const bad = join(tmp, "bad.ir");
    writeFileSync(bad, "entry @main\n\nfunc main(v0: i64) -> i64 {\nb0:\n  v1 = i64.to.f64 v0\n  v2 = add.i64 v0, v1\n  return v1\n}\n");
    const r = vm3("validate", bad);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    // Sorted by rule: the return (rule 6) before the operand type (rule 7).
    expect(r.err).toBe(`${bad}:7: func main: b0: return v1 has type f64, want i64\n${bad}:6: func main: b0: v2: arg 1 v1 has type f64, want i64\n`);
  });
  test("a parse error exits 1", () => {
    const bad = join(tmp, "parse.ir");
    writeFileSync(bad, "entry @f\nfunc f() -> i64 {\nb0:\n  v0 = ad.i64\n  return v0\n}\n");
    const r = vm3("validate", bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${bad}:4:8: func f: b0: v0: unknown op "ad.i64"\n`);
  });
  test("JSON input: messages without FILE:LINE", () => {
    const json = join(tmp, "bad.json");
    writeFileSync(json, JSON.stringify({ entry: "nope" }));
    const r = vm3("validate", json);
    expect(r.code).toBe(1);
    expect(r.err).toBe('entry "nope" names no function\n');
  });
  test("a missing file exits 1", () => {
    const r = vm3("validate", join(tmp, "missing.ir"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("cannot read");
  });
});

describe("fmt", () => {
  test("text → json → text", () => {
    const json = vm3("fmt", "--to", "json", fixture("list_sum.ir"));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).entry).toBe("main");
    const jf = join(tmp, "list_sum.json");
    writeFileSync(jf, json.out);
    const text = vm3("fmt", jf);
    expect(text.code).toBe(0);
    expect(text.out).toBe(readFileSync(join(repo, fixture("list_sum.ir")), "utf8"));
  });
  test("-o and detection by content; binary both ways", () => {
    const jf = join(tmp, "strings-json");
    expect(vm3("fmt", fixture("strings.ir"), "--to=json", "-o", jf).code).toBe(0);
    const pb = join(tmp, "strings.pb");
    expect(vm3("fmt", jf, "--to", "binary", "-o", pb).code).toBe(0);
    const back = vm3("fmt", pb);
    expect(back.out).toBe(readFileSync(join(repo, fixture("strings.ir")), "utf8"));
    expect(vm3("validate", pb).out).toBe("ok\n");
  });
  test("text is printed canonically", () => {
    const messy = join(tmp, "messy.ir");
    writeFileSync(messy, "# comment\nentry @f func f()->i64{b0: v0=const.i64 7 return v0}");
    expect(vm3("fmt", messy).out).toBe("entry @f\n\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 7\n  return v0\n}\n");
  });
});

describe("usage errors exit 2", () => {
  test.each([
    [[]],
    [["frobnicate"]],
    [["validate"]],
    [["validate", "a.ir", "b.ir"]],
    [["validate", "--strict", "a.ir"]],
    [["fmt"]],
    [["fmt", "--to", "yaml", "a.ir"]],
    [["fmt", "-o"]],
    [["fmt", "a.ir", "--to", "binary"]],
    [["emit", "a.ir"]],
  ])("vm3 %j", (args) => {
    const r = vm3(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).not.toBe("");
  });
});
