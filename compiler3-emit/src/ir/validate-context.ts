// Shared state of one validation run (ir.md §8.11): the program, the function
// being checked, which block owns each value, and the error list. Split out so
// each group of rules lives in its own file (validate.ts, validate-ops.ts,
// validate-dominance.ts).
import type { FullType, Func, Program } from "./model.ts";
import type { ErrorSite, SourceMap } from "./errors.ts";
import { formatError } from "./errors.ts";
import { typeText } from "./types.ts";

/** One violation: the §8.11 rule, where, and the message (without the site). */
export interface ValidationError {
  rule: number;
  func?: string;
  block?: number;
  value?: number;
  message: string;
  /** The full line in ir.md §8.11's format (with FILE:LINE: for text input). */
  text: string;
}

export class Context {
  readonly p: Program;
  readonly errors: ValidationError[] = [];
  private readonly sourceMap: SourceMap | undefined;

  constructor(p: Program, sourceMap: SourceMap | undefined) {
    this.p = p;
    this.sourceMap = sourceMap;
  }

  type(t: FullType): string {
    return typeText(t, this.p.structs);
  }

  /**
   * Records an error. `fi` is the function index; `where` says whether a
   * block-level error is about the terminator (for its source line).
   */
  error(rule: number, fi: number | undefined, block: number | undefined, value: number | undefined, message: string, where: "term" | "label" = "label"): void {
    const site: ErrorSite = {};
    const f = fi === undefined ? undefined : this.p.functions[fi];
    if (f !== undefined) site.func = f.name;
    if (block !== undefined) site.block = block;
    if (value !== undefined) site.value = value;
    const sm = this.sourceMap;
    if (sm !== undefined) {
      site.file = sm.file;
      const fs = fi === undefined ? undefined : sm.functions[fi];
      const pos =
        (value !== undefined ? fs?.values[value] : undefined) ??
        (block !== undefined ? (where === "term" ? fs?.terms[block] : fs?.blocks[block]) : undefined) ??
        fs?.pos ??
        sm.entry;
      if (pos !== undefined) site.line = pos.line;
    }
    const e: ValidationError = { rule, message, text: formatError(site, message) };
    if (site.func !== undefined) e.func = site.func;
    if (block !== undefined) e.block = block;
    if (value !== undefined) e.value = value;
    this.errors.push(e);
  }
}

/** Per-function facts computed once by the structural rules. */
export interface FuncFacts {
  fi: number;
  f: Func;
  /** The block that lists each value (first listing), or undefined. */
  owner: (number | undefined)[];
  /** The value's index in its owner block's `values`. */
  index: (number | undefined)[];
  /** preds from the terminators (§8.7), ascending, one per edge. */
  preds: number[][];
}
