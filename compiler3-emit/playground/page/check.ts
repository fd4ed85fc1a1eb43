// Reads the editor's text as IR (parser, then validator, ir.md §8.11) and
// turns every problem into a diagnostic with a line: what the editor marks
// and the error list prints.

import { IrParseError } from "../../src/ir/errors.ts";
import type { Program } from "../../src/ir/model.ts";
import { parseText } from "../../src/ir/text-parser.ts";
import { validate } from "../../src/ir/validate.ts";

/** One problem, located by 1-based line (and column, for parse errors). */
export interface Problem {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly kind: "parse" | "validate";
  /** The message without the file and line: `func NAME: bK: vN: MESSAGE`. */
  readonly message: string;
}

export type CheckResult = { readonly ok: true; readonly program: Program } | { readonly ok: false; readonly problems: readonly Problem[] };

/** A file name the messages cannot confuse with anything else; stripped again below. */
const FILE = "playground.ir";
const SITE = new RegExp(`^${FILE.replace(".", "\\.")}(?::(\\d+))?(?::(\\d+))?: `);

/** At most this many validator errors are listed. */
const LIMIT = 50;

export function checkText(src: string): CheckResult {
  let parsed;
  try {
    parsed = parseText(src, FILE);
  } catch (e) {
    if (!(e instanceof IrParseError)) throw e;
    return { ok: false, problems: [fromMessage(e.message, "parse")] };
  }
  const errors = validate(parsed.program, { sourceMap: parsed.sourceMap, limit: LIMIT });
  if (errors.length === 0) return { ok: true, program: parsed.program };
  return { ok: false, problems: errors.map((e) => fromMessage(e.text, "validate")) };
}

function fromMessage(text: string, kind: Problem["kind"]): Problem {
  const m = SITE.exec(text);
  if (m === null) return { line: undefined, column: undefined, kind, message: text };
  return {
    line: m[1] === undefined ? undefined : Number(m[1]),
    column: m[2] === undefined ? undefined : Number(m[2]),
    kind,
    message: text.slice(m[0].length),
  };
}

/** "line 12: func f: b0: v3: …" — the error list's spelling of a problem. */
export function problemText(p: Problem): string {
  const where = p.line === undefined ? "" : p.column === undefined ? `line ${p.line}: ` : `line ${p.line}:${p.column}: `;
  return `${where}${p.message}`;
}
