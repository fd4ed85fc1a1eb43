// Every program under conformance/programs/ (written by the corpus authors)
// must parse, validate and round-trip through the printer and JSON. Failures
// are reported here; the corpus files are not ours to edit.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseText } from "../src/ir/text-parser.ts";
import { printText } from "../src/ir/text-printer.ts";
import { programFromJsonText, programToJsonText } from "../src/ir/json.ts";
import { validate } from "../src/ir/validate.ts";

const root = fileURLToPath(new URL("../../conformance/programs/", import.meta.url));

function irFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? irFiles(p) : n.endsWith(".ir") ? [p] : [];
  });
}

const files = irFiles(root).map((p) => p.slice(root.length)).sort();

describe.runIf(files.length > 0)("conformance/programs", () => {
  test.each(files)("%s", (name) => {
    const src = readFileSync(join(root, name), "utf8");
    const { program, sourceMap } = parseText(src, name);
    expect(validate(program, { sourceMap }).map((e) => e.text)).toEqual([]);
    const printed = printText(program);
    expect(parseText(printed, name).program).toEqual(program);
    expect(printText(programFromJsonText(programToJsonText(program)))).toBe(printed);
  });
});
