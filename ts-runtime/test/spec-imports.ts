// handle-abi.md §10.2's import table read from the spec text, for tests that
// hold the host's table to it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One import's parameters and result as the spec's letters: `c` a Cell, `n` an i64 integer, `i` an i32, `f64`; result `()` for none. */
export interface SpecImport {
  params: string[];
  result: string;
}

export function specImports(): Map<string, SpecImport> {
  const text = readFileSync(fileURLToPath(new URL("../../vm3-spec/handle-abi.md", import.meta.url)), "utf8");
  const section = text.slice(text.indexOf("## 10.2"), text.indexOf("## 10.3"));
  const table = new Map<string, SpecImport>();
  const letter = (t: string) => t.trim().split(" ")[0]!;
  for (const line of section.split("\n")) {
    const cols = line.split("|").map((c) => c.trim());
    if (cols.length < 4 || !cols[1]!.startsWith("`")) continue;
    const m = /^`\((.*)\) → (.*)`$/.exec(cols[2]!);
    if (m === null) continue;
    const params = m[1]!.trim() === "" ? [] : m[1]!.split(",").map(letter);
    const result = m[2]!.trim() === "()" ? "()" : letter(m[2]!);
    for (const [, name] of cols[1]!.matchAll(/`([a-z0-9_]+)`/g)) table.set(name!, { params, result });
  }
  return table;
}

/** A spec letter as its Wasm type. */
export function wasmType(letter: string): string {
  return ({ c: "i64", n: "i64", i: "i32", f64: "f64", "()": "()" } as Record<string, string>)[letter] ?? `?${letter}`;
}
