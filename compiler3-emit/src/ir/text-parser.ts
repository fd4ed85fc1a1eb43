// The IR text form → Program (ir-text.md §Grammar, §Mapping to the proto).
// The parser resolves names and IDs and computes preds/succs but does not
// otherwise validate (validate.ts runs ir.md §8.11). Errors name file, line,
// column and, where known, the function, block and value being read.
import type { Block, Field, FullType, Func, HostImport, Program, StructShape, Terminator, Value } from "./model.ts";
import { OpCode, TermKind, Type, emptyTerminator, scalarType } from "./model.ts";
import type { ErrorSite, FuncSource, Pos, SourceMap } from "./errors.ts";
import { IrParseError } from "./errors.ts";
import type { Token } from "./text-lexer.ts";
import { tokenize } from "./text-lexer.ts";
import type { OpInfo } from "./ops.ts";
import { opByMnemonic, opByPrefix } from "./ops.ts";
import { parseTypeText } from "./types.ts";
import { parseF64, parseInt64 } from "./literals.ts";
import { computeCfg } from "./cfg.ts";

/** ir-text.md §Lexical structure: names that are keywords. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "entry", "struct", "func", "import", "str", "jump", "branch", "return", "unreachable",
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParsedText {
  program: Program;
  sourceMap: SourceMap;
}

/** Parses the text form; throws IrParseError. `file` names the source in messages. */
export function parseText(src: string, file = "<input>"): ParsedText {
  return new Parser(src, file).parseProgram();
}

/** A reference to resolve once the whole function has been read. */
interface Pending {
  tok: Token;
  block: number | undefined;
  value: number | undefined;
  check: () => string | undefined;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private readonly file: string;
  private readonly structIds = new Map<string, number>();
  private readonly funcIds = new Map<string, number>();
  private readonly importIds = new Map<string, number>();
  private readonly structs: StructShape[] = [];
  private readonly hostImports: HostImport[] = [];
  private readonly functions: Func[] = [];
  private readonly map: SourceMap;
  /** The current context, for messages. */
  private func: string | undefined;
  private block: number | undefined;
  private value: number | undefined;
  /** The token the lexer stopped at, when it could not read a character (prescan). */
  private lexError: Token | undefined;
  /** Resolved after every declaration has been read (fields of later structs). */
  private readonly late: Array<() => void> = [];

  constructor(src: string, file: string) {
    this.toks = tokenize(src);
    this.file = file;
    this.map = { file, structs: [], functions: [] };
  }

  parseProgram(): ParsedText {
    this.prescan();
    let entry: string | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") break;
      if (this.isWord(t, "entry")) {
        this.next();
        if (entry !== undefined) this.fail(t, "a second entry declaration");
        this.expectPunct("@");
        entry = this.name("function");
        this.map.entry = pos(t);
      } else if (this.isWord(t, "struct")) {
        this.parseStruct();
      } else if (this.isWord(t, "func")) {
        this.parseFunc();
      } else if (this.isWord(t, "import")) {
        this.parseImport();
      } else {
        this.fail(t, `expected entry, struct, import or func, got ${describe(t)}`);
      }
    }
    this.func = undefined;
    this.block = undefined;
    this.value = undefined;
    if (entry === undefined) this.fail(this.peek(), "no entry declaration (entry @NAME)");
    for (const f of this.late) f();
    const program: Program = { functions: this.functions, entry, structs: this.structs };
    if (this.hostImports.length > 0) program.hostImports = this.hostImports;
    return { program, sourceMap: this.map };
  }

  /**
   * Structs and functions are referenced before they are declared: collect
   * their names first. The lexer stops at the first character it cannot
   * read, so no name after it is known: a name that looks undeclared before
   * then reports that character instead (unknownName).
   */
  private prescan(): void {
    for (let k = 0; k + 1 < this.toks.length; k++) {
      const t = this.toks[k]!;
      const n = this.toks[k + 1]!;
      if (t.kind === "error") {
        this.lexError = t;
        break;
      }
      // `import host @NAME`: host imports too are named before they are declared.
      const name = this.toks[k + 3];
      if (this.isWord(t, "import") && this.isWord(n, "host") && this.toks[k + 2]?.text === "@" && name?.kind === "word") {
        if (!this.importIds.has(name.text)) this.importIds.set(name.text, this.importIds.size);
      }
      if (t.kind !== "word" || n.kind !== "word") continue;
      const table = t.text === "struct" ? this.structIds : t.text === "func" ? this.funcIds : undefined;
      if (table !== undefined && !table.has(n.text)) table.set(n.text, table.size);
    }
  }

  /** An undeclared name — unless the text ends early at a character the lexer could not read, which is then the error. */
  private unknownName(t: Token, message: string): never {
    if (this.lexError !== undefined) this.fail(this.lexError, this.lexError.text);
    this.fail(t, message);
  }

  private parseStruct(): void {
    const kw = this.next();
    const nameTok = this.peek();
    const name = this.name("struct");
    if (this.structIds.get(name) !== this.structs.length) this.fail(nameTok, `duplicate struct ${name}`);
    const shape: StructShape = { name, fields: [] };
    this.structs.push(shape);
    this.map.structs.push(pos(kw));
    this.expectPunct("{");
    if (!this.isPunct(this.peek(), "}")) {
      for (;;) {
        const fname = this.name("field");
        this.expectPunct(":");
        const t = this.type();
        const field: Field = { name: fname, ...t };
        shape.fields.push(field);
        if (!this.isPunct(this.peek(), ",")) break;
        this.next();
      }
    }
    this.expectPunct("}");
  }

  /** `import host @NAME(T, …) -> T` (host.md §11.1). */
  private parseImport(): void {
    this.next();
    this.func = undefined;
    this.block = undefined;
    this.value = undefined;
    const kind = this.next();
    if (!this.isWord(kind, "host")) this.fail(kind, `expected host after import, got ${describe(kind)}`);
    this.expectPunct("@");
    const nameTok = this.peek();
    const name = this.name("host import");
    if (this.importIds.get(name) !== this.hostImports.length) this.fail(nameTok, `duplicate host import @${name}`);
    const params: FullType[] = [];
    this.expectPunct("(");
    if (!this.isPunct(this.peek(), ")")) {
      for (;;) {
        params.push(this.type());
        if (!this.isPunct(this.peek(), ",")) break;
        this.next();
      }
    }
    this.expectPunct(")");
    this.expectPunct("->");
    const r = this.type();
    this.hostImports.push({ name, params, result: r.type, resultElemType: r.elemType, resultStructId: r.structId });
  }

  private parseFunc(): void {
    const kw = this.next();
    this.block = undefined;
    this.value = undefined;
    const nameTok = this.peek();
    this.func = undefined;
    const name = this.name("function");
    if (this.funcIds.get(name) !== this.functions.length) this.fail(nameTok, `duplicate func ${name}`);
    this.func = name;
    const values = new Map<number, Value>();
    const src: FuncSource = { pos: pos(kw), values: [], blocks: [], terms: [] };
    const params: number[] = [];
    this.expectPunct("(");
    if (!this.isPunct(this.peek(), ")")) {
      for (;;) {
        const vt = this.peek();
        const id = this.vid();
        this.value = id;
        if (id !== params.length) this.fail(vt, `parameter v${id} out of order: parameters are v0, v1, … in order (want v${params.length})`);
        this.expectPunct(":");
        const t = this.type();
        values.set(id, { id, ...t, op: OpCode.PARAM, args: [], const: 0n });
        src.values[id] = pos(vt);
        params.push(id);
        this.value = undefined;
        if (!this.isPunct(this.peek(), ",")) break;
        this.next();
      }
    }
    this.expectPunct(")");
    this.expectPunct("->");
    const result = this.type();
    this.expectPunct("{");
    const f: Func = {
      name, params, result: result.type, resultElemType: result.elemType, resultStructId: result.structId,
      blocks: [], values: [], strings: [],
    };
    this.functions.push(f);
    this.map.functions.push(src);
    while (this.isWord(this.peek(), "str")) {
      this.next();
      const st = this.peek();
      const sid = this.indexToken("$", "string index");
      if (sid !== f.strings.length) this.fail(st, `string $${sid} out of order (want $${f.strings.length})`);
      this.expectPunct("=");
      const lit = this.next();
      if (lit.kind === "error") this.fail(lit, lit.text);
      if (lit.kind !== "string") this.fail(lit, `expected a string literal, got ${describe(lit)}`);
      f.strings.push(lit.text);
    }
    const pending: Pending[] = [];
    const refValue = (tok: Token, id: number): void => {
      pending.push({ tok, block: this.block, value: this.value, check: () => (values.has(id) ? undefined : `undefined value v${id}`) });
    };
    const refBlock = (tok: Token, id: number): void => {
      pending.push({ tok, block: this.block, value: this.value, check: () => (id < f.blocks.length ? undefined : `undefined block b${id}`) });
    };
    do {
      this.parseBlock(f, values, src, refValue, refBlock, params.length);
    } while (!this.isPunct(this.peek(), "}"));
    const close = this.next();
    this.block = undefined;
    this.value = undefined;
    for (const p of pending) {
      const msg = p.check();
      if (msg !== undefined) this.failAt(p.tok, p.block, p.value, msg);
    }
    let max = -1;
    for (const id of values.keys()) max = Math.max(max, id);
    for (let id = 0; id <= max; id++) {
      const v = values.get(id);
      if (v === undefined) this.fail(close, `missing value v${id} (IDs 0..${max} must all be defined)`);
      f.values.push(v);
    }
    computeCfg(f);
  }

  private parseBlock(
    f: Func,
    values: Map<number, Value>,
    src: FuncSource,
    refValue: (tok: Token, id: number) => void,
    refBlock: (tok: Token, id: number) => void,
    paramCount: number,
  ): void {
    this.value = undefined;
    const label = this.peek();
    const id = this.indexToken("b", "block label");
    if (id !== f.blocks.length) this.fail(label, `block b${id} out of order (want b${f.blocks.length})`);
    this.block = id;
    this.expectPunct(":");
    const block: Block = { id, values: [], preds: [], succs: [], term: emptyTerminator() };
    if (id === 0) for (let p = 0; p < paramCount; p++) block.values.push(p);
    f.blocks.push(block);
    src.blocks[id] = pos(label);
    for (;;) {
      const t = this.peek();
      if (t.kind === "word" && /^v[0-9]/.test(t.text)) {
        const vid = this.vid();
        this.value = vid;
        if (values.has(vid)) this.fail(t, `duplicate definition of v${vid}`);
        this.expectPunct("=");
        const v = this.parseOp(vid, f, refValue, refBlock);
        values.set(vid, v);
        src.values[vid] = pos(t);
        block.values.push(vid);
        this.value = undefined;
        continue;
      }
      src.terms[id] = pos(t);
      block.term = this.parseTerm(t, refValue, refBlock, f.result);
      return;
    }
  }

  private parseTerm(t: Token, refValue: (tok: Token, id: number) => void, refBlock: (tok: Token, id: number) => void, result: Type): Terminator {
    const term = emptyTerminator();
    const blockRef = (): number => {
      const bt = this.peek();
      const b = this.indexToken("b", "block");
      refBlock(bt, b);
      return b;
    };
    const valueRef = (): number => {
      const vt = this.peek();
      const v = this.vid();
      refValue(vt, v);
      return v;
    };
    if (this.isWord(t, "jump")) {
      this.next();
      term.kind = TermKind.JUMP;
      term.target = blockRef();
    } else if (this.isWord(t, "branch")) {
      this.next();
      term.kind = TermKind.BRANCH;
      term.value = valueRef();
      this.expectPunct(",");
      term.ifTrue = blockRef();
      this.expectPunct(",");
      term.ifFalse = blockRef();
    } else if (this.isWord(t, "return")) {
      this.next();
      term.kind = TermKind.RETURN;
      if (isVid(this.peek())) term.value = valueRef();
      // The proto stores a bare return as value 0, which is also v0: only
      // the text can tell them apart (ir-text.md, Terminators).
      else if (result !== Type.UNIT) this.fail(t, `return without a value in a function whose result is not unit (write return vN)`);
    } else if (this.isWord(t, "unreachable")) {
      this.next();
      term.kind = TermKind.UNREACHABLE;
    } else if (t.kind === "word" && /^b[0-9]/.test(t.text)) {
      this.fail(t, `block b${this.block} has no terminator before ${t.text}`);
    } else if (this.isPunct(t, "}")) {
      this.fail(t, `block b${this.block} has no terminator`);
    } else {
      this.fail(t, `expected a value (vN = …) or a terminator, got ${describe(t)}`);
    }
    return term;
  }

  private parseOp(
    id: number,
    f: Func,
    refValue: (tok: Token, id: number) => void,
    refBlock: (tok: Token, id: number) => void,
  ): Value {
    const t = this.next();
    if (t.kind === "error") this.fail(t, t.text);
    if (t.kind !== "word") this.fail(t, `expected an op, got ${describe(t)}`);
    const operand = (): number => {
      const vt = this.peek();
      const v = this.vid();
      refValue(vt, v);
      return v;
    };
    /** `[ vid { "," vid } ]`: operands continue while the next vid does not start a value. */
    const operandList = (): number[] => {
      const out: number[] = [];
      if (!isVid(this.peek()) || this.isPunct(this.peek(1), "=")) return out;
      out.push(operand());
      while (this.isPunct(this.peek(), ",")) {
        this.next();
        out.push(operand());
      }
      return out;
    };
    const v = (info: OpInfo, type: FullType, args: number[] = [], c = 0n): Value => ({ id, ...type, op: info.op, args, const: c });

    const exact = opByMnemonic(t.text);
    if (exact !== undefined) {
      switch (exact.syntax) {
        case "plain": {
          const type = exact.result.kind === "fixed" ? exact.result.type : scalarType(Type.INVALID);
          return v(exact, type, operandList());
        }
        case "imm": {
          const a = operand();
          this.expectPunct(",");
          return v(exact, resultOf(exact), [a], this.int());
        }
        case "structNew": {
          const st = this.peek();
          const s = this.structRef(this.name("struct"), st);
          return v(exact, { type: Type.STRUCT, elemType: Type.INVALID, structId: s }, operandList());
        }
        case "structField": {
          const ft = this.next();
          const dot = ft.kind === "word" ? ft.text.indexOf(".") : -1;
          if (dot < 0) this.fail(ft, `expected STRUCT.FIELD after ${exact.mnemonic}, got ${describe(ft)}`);
          const s = this.structRef(ft.text.slice(0, dot), ft);
          const fieldName = ft.text.slice(dot + 1);
          const args = [operand()];
          if (exact.op === OpCode.STRUCT_SET) {
            this.expectPunct(",");
            args.push(operand());
          }
          const value = v(exact, exact.op === OpCode.STRUCT_SET ? resultOf(exact) : scalarType(Type.INVALID), args);
          // The shape may be declared later in the file: resolve the field at the end.
          const ctx = { block: this.block, value: this.value };
          this.late.push(() => {
            const fields = this.structs[s]?.fields ?? [];
            const k = fields.findIndex((fd) => fd.name === fieldName);
            if (k < 0) this.failAt(ft, ctx.block, ctx.value, `struct ${ft.text.slice(0, dot)} has no field ${fieldName}`, f.name);
            value.const = BigInt(k);
            if (exact.op === OpCode.STRUCT_GET) {
              const fd = fields[k]!;
              value.type = fd.type;
              value.elemType = fd.elemType;
              value.structId = fd.structId;
            }
          });
          return value;
        }
        default:
          break;
      }
    }
    // Types hold no dots: the written type is what follows the last one (`host.call.i64`).
    const dot = t.text.lastIndexOf(".");
    const prefixed = dot < 0 ? undefined : opByPrefix(t.text.slice(0, dot));
    if (prefixed === undefined || exact !== undefined) this.fail(t, `unknown op "${t.text}"`);
    const type = this.typeOf(t.text.slice(dot + 1), t);
    switch (prefixed.syntax) {
      case "const":
        return v(prefixed, type, [], this.constLiteral(type, f));
      case "phi": {
        const args: number[] = [];
        if (this.isPunct(this.peek(), "[")) {
          for (;;) {
            this.expectPunct("[");
            const bt = this.peek();
            const b = this.indexToken("b", "block");
            refBlock(bt, b);
            this.expectPunct(":");
            args.push(b, operand());
            this.expectPunct("]");
            if (!this.isPunct(this.peek(), ",")) break;
            this.next();
          }
        }
        return v(prefixed, type, args);
      }
      case "call": {
        this.expectPunct("@");
        const ct = this.peek();
        const callee = this.name("function");
        const index = this.funcIds.get(callee);
        if (index === undefined) this.unknownName(ct, `undefined function @${callee}`);
        const args = this.callArgs(operand);
        return v(prefixed, type, args, BigInt(index));
      }
      case "hostCall": {
        this.expectPunct("@");
        const ct = this.peek();
        const name = this.name("host import");
        const index = this.importIds.get(name);
        if (index === undefined) this.unknownName(ct, `undefined host import @${name} (declare it: import host @${name}(…) -> T)`);
        const args = this.callArgs(operand);
        return v(prefixed, type, args, BigInt(index));
      }
      default:
        // null.T has no operand; unbox.T (UNBOX_REF) has one.
        return v(prefixed, type, prefixed.op === OpCode.UNBOX_REF ? [operand()] : []);
    }
  }

  /** The literal after `const.T` (ir-text.md §Constants). */
  private constLiteral(type: FullType, f: Func): bigint {
    const t = this.peek();
    switch (type.type) {
      case Type.I64:
        return this.int();
      case Type.F64: {
        this.next();
        if (t.kind !== "number" && t.kind !== "word") this.fail(t, `expected an f64 literal, got ${describe(t)}`);
        const r = parseF64(t.text);
        if (typeof r === "string") this.fail(t, r);
        return r;
      }
      case Type.BOOL:
        this.next();
        if (this.isWord(t, "true")) return 1n;
        if (this.isWord(t, "false")) return 0n;
        return this.fail(t, `expected true or false, got ${describe(t)}`);
      case Type.STR: {
        const sid = this.indexToken("$", "string index");
        if (sid >= f.strings.length) this.fail(t, `undefined string $${sid}`);
        return BigInt(sid);
      }
      default:
        return this.fail(t, "const takes i64, f64, bool or str");
    }
  }

  // ---- tokens ----

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind === "error") this.fail(t, t.text);
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === "word" && t.text === w;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === "punct" && t.text === p;
  }

  private expectPunct(p: string): void {
    const t = this.next();
    if (!this.isPunct(t, p)) this.fail(t, `expected "${p}", got ${describe(t)}`);
  }

  /** `( [ vid { "," vid } ] )` of a call. */
  private callArgs(operand: () => number): number[] {
    this.expectPunct("(");
    const args: number[] = [];
    if (!this.isPunct(this.peek(), ")")) {
      args.push(operand());
      while (this.isPunct(this.peek(), ",")) {
        this.next();
        args.push(operand());
      }
    }
    this.expectPunct(")");
    return args;
  }

  private name(what: string): string {
    const t = this.next();
    if (t.kind !== "word" || !NAME.test(t.text)) this.fail(t, `expected a ${what} name, got ${describe(t)}`);
    if (KEYWORDS.has(t.text)) this.fail(t, `${what} name "${t.text}" is a keyword`);
    return t.text;
  }

  private vid(): number {
    return this.indexToken("v", "value ID");
  }

  /** `v12`, `b3`, `$0`: a prefix and a decimal without leading zeros. */
  private indexToken(prefix: string, what: string): number {
    const t = this.next();
    const m = t.kind === "word" && t.text.startsWith(prefix) ? /^(0|[1-9][0-9]*)$/.exec(t.text.slice(prefix.length)) : null;
    if (m === null) this.fail(t, `expected a ${what} (${prefix}N), got ${describe(t)}`);
    const n = Number(m[1]);
    if (n > 0xffffffff) this.fail(t, `${t.text} is too large (uint32)`);
    return n;
  }

  private int(): bigint {
    const t = this.next();
    if (t.kind !== "number") this.fail(t, `expected an integer, got ${describe(t)}`);
    const r = parseInt64(t.text);
    if (typeof r === "string") this.fail(t, r);
    return r;
  }

  private type(): FullType {
    const t = this.next();
    if (t.kind !== "word") this.fail(t, `expected a type, got ${describe(t)}`);
    return this.typeOf(t.text, t);
  }

  private typeOf(text: string, t: Token): FullType {
    const r = parseTypeText(text, (n) => this.structIds.get(n));
    if (typeof r === "string") this.fail(t, r);
    return r;
  }

  private structRef(name: string, t: Token): number {
    const s = this.structIds.get(name);
    if (s === undefined) this.unknownName(t, `undefined struct ${name}`);
    return s;
  }

  private fail(t: Token, message: string): never {
    return this.failAt(t, this.block, this.value, message);
  }

  private failAt(t: Token, block: number | undefined, value: number | undefined, message: string, func = this.func): never {
    const site: ErrorSite = { file: this.file, line: t.line, column: t.column };
    if (func !== undefined) site.func = func;
    if (block !== undefined) site.block = block;
    if (value !== undefined) site.value = value;
    throw new IrParseError(site, message);
  }
}

function resultOf(info: OpInfo): FullType {
  return info.result.kind === "fixed" ? info.result.type : scalarType(Type.INVALID);
}

function isVid(t: Token): boolean {
  return t.kind === "word" && /^v[0-9]+$/.test(t.text);
}

function pos(t: Token): Pos {
  return { line: t.line, column: t.column };
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of file";
    case "string":
      return "a string literal";
    default:
      return `"${t.text}"`;
  }
}
