// The error format of ir.md §8.11: `FILE:LINE: func NAME: bK: vN: MESSAGE`
// for text input and `func NAME: bK: vN: MESSAGE` for proto / JSON input,
// leaving out the parts that do not apply. Parse errors also give the column
// (`FILE:LINE:COL:`), as compilers do; the spec's form is the same without it.

/** Where an error is: each part is printed only when present. */
export interface ErrorSite {
  file?: string;
  line?: number;
  column?: number;
  func?: string;
  block?: number;
  value?: number;
}

export function formatError(site: ErrorSite, message: string): string {
  let s = "";
  if (site.file !== undefined) {
    s += site.file;
    if (site.line !== undefined) s += `:${site.line}`;
    if (site.line !== undefined && site.column !== undefined) s += `:${site.column}`;
    s += ": ";
  }
  if (site.func !== undefined) s += `func ${site.func}: `;
  if (site.block !== undefined) s += `b${site.block}: `;
  if (site.value !== undefined) s += `v${site.value}: `;
  return s + message;
}

/** An error of reading a program (text, JSON or binary): carries its site. */
export class IrParseError extends Error {
  readonly site: ErrorSite;
  readonly detail: string;
  constructor(site: ErrorSite, detail: string) {
    super(formatError(site, detail));
    this.name = "IrParseError";
    this.site = site;
    this.detail = detail;
  }
}

/** A source position (1-based line and column). */
export interface Pos {
  line: number;
  column: number;
}

/** Where each part of a parsed text program was written, for validator messages. */
export interface SourceMap {
  file: string;
  entry?: Pos;
  structs: Pos[];
  functions: FuncSource[];
}

export interface FuncSource {
  pos: Pos;
  /** By value ID (parameters: their place in the header). */
  values: (Pos | undefined)[];
  /** By block ID: the label. */
  blocks: (Pos | undefined)[];
  /** By block ID: the terminator. */
  terms: (Pos | undefined)[];
}
