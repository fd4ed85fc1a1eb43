// Long string constants (ir.md §8.10; wasmgc.md §9.6): the text of
// conformance/programs/strings-large/large.ir, and generators for the
// tests. Written deterministically so that the committed file can be
// checked against it (strings-large.test.ts) and regenerated:
//
//   npx node compiler3-emit/test/strings-large.ts

import { writeFileSync } from "node:fs";
import { printText } from "../src/ir/text-printer.ts";
import { parseText } from "../src/ir/text-parser.ts";

/** `n` bytes of printable ASCII (a pattern of period 95 that steps by 31). */
export function asciiText(n: number, seed = 0): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + ((i * 31 + seed) % 95));
  return s;
}

/**
 * Multi-byte UTF-8 of exactly `n` bytes: 1-, 2-, 3- and 4-byte characters in
 * turn (`a`, `é`, `€`, `😀`, 10 bytes a round), padded with ASCII.
 */
export function utf8Text(n: number): string {
  const round = "aé€😀";
  const s = round.repeat(Math.floor(n / 10)) + "b".repeat(n % 10);
  if (new TextEncoder().encode(s).length !== n) throw new Error("utf8Text: length");
  return s;
}

/** A literal of ir-text.md §Strings (these texts need only the two escapes). */
const literal = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** `main() -> str` returning one constant: what the tests run on every backend. */
export function returnConstant(text: string): string {
  return `entry @main\n\nfunc main() -> str {\n  str $0 = ${literal(text)}\nb0:\n  v0 = const.str $0\n  return v0\n}\n`;
}

/** The WasmGC emitter's limit for a constant in a global initializer (string-ops.ts MAX_FIXED). */
const FIXED = 10_000;

/**
 * conformance/programs/strings-large/large.ir, in vm3 fmt's canonical form:
 * - `ascii() -> i64`: a 100,000-byte ASCII constant equals ten copies of a
 *   10,000-byte one concatenated, and differs from nine copies and a
 *   10,000-byte constant that differs in its last byte; returns its length,
 *   or -1 when a comparison fails;
 * - `utf8() -> str`: a 30,000-byte multi-byte constant, returned when it
 *   equals the concatenation of a 10,001-byte and a 19,999-byte constant
 *   (one past the emitter's initializer limit, split on a character
 *   boundary), else "".
 */
export function largeStringsProgram(): string {
  const piece = asciiText(FIXED);
  const last = piece.at(-1)!;
  const other = piece.slice(0, -1) + (last === "~" ? "}" : "~");
  const big = piece.repeat(10);
  const ascii = [
    "func ascii() -> i64 {",
    `  str $0 = ${literal(big)}`,
    `  str $1 = ${literal(piece)}`,
    `  str $2 = ${literal(other)}`,
    "b0:",
    "  v0 = const.str $0",
    "  v1 = const.str $1",
    "  v2 = const.str $2",
    // v3 … v11: piece ‖ piece, … (ten copies at v11); v12: nine copies ‖ other
    "  v3 = concat.str v1, v1",
    ...Array.from({ length: 8 }, (_, i) => `  v${4 + i} = concat.str v${3 + i}, v1`),
    "  v12 = concat.str v10, v2",
    "  v13 = cmp.eq.str v0, v11",
    "  v14 = cmp.ne.str v0, v12",
    "  v15 = and.bool v13, v14",
    "  branch v15, b1, b2",
    "b1:",
    "  v16 = len.str v0",
    "  return v16",
    "b2:",
    "  v17 = const.i64 -1",
    "  return v17",
    "}",
  ];
  const whole = utf8Text(30_000);
  const head = [...whole].slice(0, 4_001).join(""); // 4,000 characters of 10 bytes each … then "a"
  const headBytes = new TextEncoder().encode(head).length;
  if (headBytes !== 10_001) throw new Error(`largeStringsProgram: head is ${headBytes} bytes`);
  const utf8 = [
    "func utf8() -> str {",
    `  str $0 = ${literal(whole)}`,
    `  str $1 = ${literal(head)}`,
    `  str $2 = ${literal(whole.slice(head.length))}`,
    `  str $3 = ""`,
    "b0:",
    "  v0 = const.str $0",
    "  v1 = const.str $1",
    "  v2 = const.str $2",
    "  v3 = concat.str v1, v2",
    "  v4 = cmp.eq.str v0, v3",
    "  branch v4, b1, b2",
    "b1:",
    "  return v0",
    "b2:",
    "  v5 = const.str $3",
    "  return v5",
    "}",
  ];
  // Through the printer, so that the file is in vm3 fmt's layout.
  return printText(parseText(["entry @ascii", "", ...ascii, "", ...utf8, ""].join("\n")).program);
}

export const LARGE_IR = new URL("../../conformance/programs/strings-large/large.ir", import.meta.url);

if (import.meta.main) writeFileSync(LARGE_IR, largeStringsProgram());
