// The corpus as the page sees it (`/build/programs.json`, written by the
// server at start from conformance/programs/*.json): every .ir file with its
// vectors' entries and arguments as presets. Shared by build.ts (Node) and
// the page; plain data only.

import { f64ToBits, formatF64 } from "../src/ir/literals.ts";

export interface CorpusPreset {
  /** The vector's name, e.g. "binary_trees-10". */
  readonly name: string;
  /** "" for the program's entry. */
  readonly entry: string;
  /** Decimal int64 literals, exactly as the vector file writes them. */
  readonly args: readonly string[];
  /** What the vector expects, as the page prints a result: "135854", "trap OUT_OF_BOUNDS", "timeout", … */
  readonly expect: string;
  readonly description: string;
  /** The vector's time limit (a runaway program's), if it sets one. */
  readonly timeoutMs?: number;
}

export interface CorpusProgram {
  /** Under conformance/programs, e.g. "heap/binary_trees.ir"; served at /programs/PATH. */
  readonly path: string;
  readonly presets: readonly CorpusPreset[];
}

export interface CorpusIndex {
  readonly programs: readonly CorpusProgram[];
}

/** A vector's `expect` object → the page's spelling of that outcome. */
export function expectText(expect: Readonly<Record<string, unknown>>): string {
  if ("i64" in expect) return String(expect.i64);
  if ("f64" in expect) return formatF64(f64ToBits(Number(expect.f64)));
  if ("f64Bits" in expect) return formatF64(BigInt.asIntN(64, BigInt(String(expect.f64Bits))));
  if ("bool" in expect) return String(expect.bool);
  if ("str" in expect) return JSON.stringify(expect.str);
  if ("trap" in expect) return `trap ${String(expect.trap)}`;
  if ("timeout" in expect) return "timeout";
  return "unit";
}
