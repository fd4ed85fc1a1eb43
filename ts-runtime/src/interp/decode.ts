// Pre-decoding: each function of a validated program becomes a flat array of
// `Ins` (one per non-phi value, then one per block terminator), with operands
// resolved to register indices in one of two banks, phis turned into
// per-edge parallel moves, and every constant pre-converted. The run loop
// then does no map lookups and no type dispatch beyond one `switch`.
import type { Func, Program, Value } from "../../../compiler3-emit/src/ir/model.ts";
import { OpCode, TermKind, Type } from "../../../compiler3-emit/src/ir/model.ts";
import { Arena } from "../arena.ts";
import type { Cell } from "../cell.ts";
import { f64FromBits } from "./f64.ts";
import { fromBig, type I64 } from "./i64.ts";

/** Internal opcodes for terminators (after the IR's 1–88). */
export const T_JUMP = 100;
export const T_BRANCH = 101;
export const T_RETURN = 102;
export const T_UNREACHABLE = 103;
/** CONST of type f64 / str / i64-or-bool: split so the loop never checks the type. */
export const K_F64 = 104;
export const K_R = 105;

/** Where a value lives: the generic bank R, the Float64Array bank F, or nowhere (unit). */
export const BANK_R = 0;
export const BANK_F = 1;
export const BANK_NONE = 2;

/** How a heap-stored field/element converts to a register (STRUCT_GET/SET). */
export const KIND_I64 = 0;
export const KIND_F64 = 1;
export const KIND_BOOL = 2;
export const KIND_REF = 3;

/** A control-flow edge: its target pc and the target's phis as parallel moves per bank. */
export class Edge {
  pc = 0;
  readonly rs: Int32Array;
  readonly rd: Int32Array;
  readonly fs: Int32Array;
  readonly fd: Int32Array;
  readonly tmpR: unknown[];
  readonly tmpF: Float64Array;
  readonly target: number;
  constructor(target: number, rs: number[], rd: number[], fs: number[], fd: number[]) {
    this.target = target;
    this.rs = Int32Array.from(rs);
    this.rd = Int32Array.from(rd);
    this.fs = Int32Array.from(fs);
    this.fd = Int32Array.from(fd);
    this.tmpR = new Array<unknown>(rs.length).fill(0);
    this.tmpF = new Float64Array(fs.length);
  }
}

/** One decoded instruction; every field is present so V8 sees one shape. */
export class Ins {
  op = 0;
  /** Destination register (in the result's bank), or -1. */
  d = -1;
  a = -1;
  b = -1;
  c = -1;
  /** Immediate (canonical I64), f64 constant, Cell, callee index or field index. */
  k: I64 | Cell | number | boolean = 0;
  /** Result bank / field kind / return bank, by op. */
  kind = 0;
  /** The result is a reference or any: root it when written. */
  root = false;
  /** CALL/TAIL_CALL arguments and STRUCT_NEW fields: registers and their banks / kinds. */
  args: Int32Array | null = null;
  argKinds: Uint8Array | null = null;
  e1: Edge | null = null;
  e2: Edge | null = null;
  /** Where this came from, for traps: IR value ID (-1 for a terminator) and block ID. */
  vid = -1;
  blk = 0;
}

export interface FnCode {
  name: string;
  index: number;
  code: Ins[];
  nR: number;
  nF: number;
  /** Per parameter: bank and register. */
  paramBank: Uint8Array;
  paramReg: Int32Array;
  /** Result bank (BANK_NONE for unit) and IR result type. */
  resultBank: number;
  result: number;
  /** R registers that hold references or any (re-rooted when the frame's scope is compacted). */
  refRegs: Int32Array;
  /** R registers of reference/any parameters (rooted on entry). */
  refParams: Int32Array;
  /** Does the frame need a root scope at all? */
  hasRefs: boolean;
  /** Root pushes after which the frame's scope is compacted. */
  rootLimit: number;
}

export function isRefType(t: number): boolean {
  return t === Type.STR || t === Type.LIST || t === Type.MAP || t === Type.STRUCT || t === Type.F64_ARR || t === Type.ANY || t === Type.HOST;
}

export function bankOf(t: number): number {
  return t === Type.F64 ? BANK_F : t === Type.UNIT ? BANK_NONE : BANK_R;
}

export function kindOf(t: number): number {
  return t === Type.I64 ? KIND_I64 : t === Type.F64 ? KIND_F64 : t === Type.BOOL ? KIND_BOOL : KIND_REF;
}

/**
 * Decodes every function. `strCells[f][i]` is the String object of function
 * f's string i (allocated by the caller, ir.md §8.10).
 */
export function decodeProgram(p: Program, strCells: readonly (readonly Cell[])[]): FnCode[] {
  const fns: FnCode[] = p.functions.map((f, i) => ({
    name: f.name, index: i, code: [], nR: 0, nF: 0,
    paramBank: new Uint8Array(0), paramReg: new Int32Array(0),
    resultBank: bankOf(f.result), result: f.result,
    refRegs: new Int32Array(0), refParams: new Int32Array(0), hasRefs: false, rootLimit: 0,
  }));
  p.functions.forEach((f, i) => decodeFunction(p, f, fns[i]!, strCells[i] ?? []));
  return fns;
}

function decodeFunction(p: Program, f: Func, out: FnCode, strings: readonly Cell[]): void {
  // Register allocation: one register per value in its bank.
  const reg = new Int32Array(f.values.length).fill(-1);
  const bank = new Uint8Array(f.values.length);
  const refRegs: number[] = [];
  let nR = 0;
  let nF = 0;
  for (const v of f.values) {
    const b = bankOf(v.type);
    bank[v.id] = b;
    if (b === BANK_F) reg[v.id] = nF++;
    else if (b === BANK_R) {
      reg[v.id] = nR++;
      if (isRefType(v.type)) refRegs.push(reg[v.id]!);
    }
  }
  out.nR = nR;
  out.nF = nF;
  out.refRegs = Int32Array.from(refRegs);
  out.hasRefs = refRegs.length > 0;
  out.rootLimit = 2 * refRegs.length + 64;
  out.paramBank = Uint8Array.from(f.params.map((id) => bank[id]!));
  out.paramReg = Int32Array.from(f.params.map((id) => reg[id]!));
  out.refParams = Int32Array.from(f.params.filter((id) => isRefType(f.values[id]!.type)).map((id) => reg[id]!));

  const blockPc = new Int32Array(f.blocks.length);
  const edges: Edge[] = [];
  const edge = (from: number, to: number): Edge => {
    const rs: number[] = [], rd: number[] = [], fs: number[] = [], fd: number[] = [];
    for (const id of f.blocks[to]!.values) {
      const v = f.values[id]!;
      if (v.op !== OpCode.PHI) break;
      let src = -1;
      for (let i = 0; i < v.args.length; i += 2) if (v.args[i] === from) src = v.args[i + 1]!;
      if (bank[v.id] === BANK_F) { fs.push(reg[src]!); fd.push(reg[v.id]!); }
      else if (bank[v.id] === BANK_R) { rs.push(reg[src]!); rd.push(reg[v.id]!); }
    }
    const e = new Edge(to, rs, rd, fs, fd);
    edges.push(e);
    return e;
  };
  const code: Ins[] = [];
  for (const blk of f.blocks) {
    blockPc[blk.id] = code.length;
    for (const id of blk.values) {
      const v = f.values[id]!;
      if (v.op === OpCode.PHI || v.op === OpCode.PARAM) continue;
      code.push(decodeValue(p, f, v, reg, bank, strings, blk.id));
    }
    const t = blk.term;
    const ins = new Ins();
    ins.blk = blk.id;
    switch (t.kind) {
      case TermKind.JUMP:
        ins.op = T_JUMP;
        ins.e1 = edge(blk.id, t.target);
        break;
      case TermKind.BRANCH:
        ins.op = T_BRANCH;
        ins.a = reg[t.value]!;
        ins.e1 = edge(blk.id, t.ifTrue);
        ins.e2 = edge(blk.id, t.ifFalse);
        break;
      case TermKind.RETURN:
        ins.op = T_RETURN;
        ins.kind = out.resultBank;
        ins.a = out.resultBank === BANK_NONE ? -1 : reg[t.value]!;
        break;
      default:
        ins.op = T_UNREACHABLE;
    }
    code.push(ins);
  }
  for (const e of edges) e.pc = blockPc[e.target]!;
  out.code = code;
}

function decodeValue(p: Program, f: Func, v: Value, reg: Int32Array, bank: Uint8Array, strings: readonly Cell[], blk: number): Ins {
  const ins = new Ins();
  ins.op = v.op;
  ins.vid = v.id;
  ins.blk = blk;
  ins.d = reg[v.id]!;
  ins.kind = bank[v.id]!;
  ins.root = isRefType(v.type);
  const r = (i: number): number => reg[v.args[i]!]!;
  if (v.args.length > 0) ins.a = r(0);
  if (v.args.length > 1) ins.b = r(1);
  if (v.args.length > 2) ins.c = r(2);
  switch (v.op) {
    case OpCode.CONST:
      ins.root = false; // constants are rooted for the whole run
      if (v.type === Type.F64) {
        ins.op = K_F64;
        ins.k = f64FromBits(v.const);
      } else {
        ins.op = K_R;
        ins.k = v.type === Type.STR ? strings[Number(v.const)]! : v.type === Type.BOOL ? v.const !== 0n : fromBig(v.const);
      }
      break;
    case OpCode.NULL:
      ins.root = false;
      break;
    case OpCode.ADD_I64_IMM: case OpCode.SUB_I64_IMM: case OpCode.MUL_I64_IMM: case OpCode.DIV_I64_IMM: case OpCode.MOD_I64_IMM:
    case OpCode.CMP_EQ_I64_IMM: case OpCode.CMP_NE_I64_IMM: case OpCode.CMP_LT_I64_IMM:
    case OpCode.CMP_LE_I64_IMM: case OpCode.CMP_GT_I64_IMM: case OpCode.CMP_GE_I64_IMM:
      ins.k = fromBig(v.const);
      break;
    case OpCode.CALL: case OpCode.TAIL_CALL: case OpCode.HOST_CALL:
      ins.k = Number(v.const);
      ins.args = Int32Array.from(v.args.map((a) => reg[a]!));
      ins.argKinds = Uint8Array.from(v.args.map((a) => bank[a]!));
      break;
    case OpCode.STRUCT_NEW: {
      ins.k = v.structId;
      const fields = p.structs[v.structId]!.fields;
      ins.args = Int32Array.from(v.args.map((a) => reg[a]!));
      ins.argKinds = Uint8Array.from(fields.map((fl) => kindOf(fl.type)));
      break;
    }
    case OpCode.STRUCT_GET:
      ins.k = Number(v.const);
      ins.kind = kindOf(v.type);
      break;
    case OpCode.STRUCT_SET: {
      ins.k = Number(v.const);
      const s = f.values[v.args[0]!]!;
      ins.kind = kindOf(p.structs[s.structId]!.fields[Number(v.const)]!.type);
      break;
    }
    case OpCode.UNBOX_REF:
      ins.k = v.type === Type.STRUCT ? v.structId : -1;
      ins.kind = arenaOf(v.type, v.elemType);
      break;
  }
  return ins;
}

/** The arena of a reference type's objects (ir.md §8.2). */
export function arenaOf(t: number, elem: number): number {
  switch (t) {
    case Type.STR: return Arena.STRING;
    case Type.LIST: return elem === Type.I64 ? Arena.I64_ARR : Arena.LIST;
    case Type.MAP: return Arena.MAP;
    case Type.STRUCT: return Arena.STRUCT;
    case Type.F64_ARR: return Arena.F64_ARR;
    case Type.HOST: return Arena.HOST;
    default: return -1;
  }
}
