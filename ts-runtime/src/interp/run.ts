// The compiler3 IR reference interpreter (ir.md §8.3–§8.12).
//
// Design
// - Frames: an explicit frame stack (`Frame[]`), so an IR call never uses the
//   JS stack: deep recursion is bounded only by `maxDepth` (STACK_OVERFLOW
//   beyond it, default 100,000 frames), and a tail call replaces the current
//   frame in place (constant space, §8.8).
// - Register banks: each frame has a generic array `R` (i64, bool, reference
//   and any values) and a Float64Array `F` (f64 values, unboxed, so f64
//   arithmetic allocates nothing). An i64 is a JS number when it is a safe
//   integer and a bigint otherwise, canonically (i64.ts): the common case is
//   Smi/double arithmetic and only values beyond ±(2^53-1) pay for bigint
//   (measured: all-bigint i64 made sum_loop(10^6) several times slower, see
//   the report in the commit). bool is a JS boolean; references and any are
//   Cells (bigint).
// - Pre-decoding (decode.ts): one flat `Ins[]` per function, phis become
//   per-edge parallel moves (read all sources into a temp, then write: the
//   simultaneous semantics of §8.7).
// - Rooting (§8.3, §8.10): the heap runs AUTO, and its collector's only
//   interpreter-visible roots are the scope root stack (plus pins and the
//   arguments of the allocating op). The run opens one "register scope";
//   every reference/any Cell an op writes to a register is `scopeRoot`ed in
//   it (phi moves, box.ref and call arguments copy registers that are rooted
//   already). When the scope holds more than 2 × (reference registers of the
//   frames on the stack) + 256 roots it is compacted: exited, re-entered and
//   re-rooted from the registers of every live frame. So the root stack stays
//   O(live registers), the cost per write is amortised O(1), and calls and
//   tail calls cost nothing for rooting. (Measured: a scope per frame made
//   lists_fill_sum(10^6) 1.8× slower — scope_exit per tail call.) A pin per
//   register would need unpinning on overwrite; a heap List as register file
//   would count against max_heap_bytes and change OUT_OF_MEMORY results.
//   Registers of returned frames and dead registers stay rooted until the
//   next compaction (conservative: a collection frees less, never more; only
//   `free` frees in an IR program). A stale handle cannot be rooted
//   (scope_root checks liveness) and needs no root: it is skipped.
// - Switch cases are numeric literals (with the op name in a comment), not
//   `OpCode.X`: under vitest's module transform an imported constant becomes
//   a property load, and a switch over non-constant cases compiles to a
//   chain of comparisons (measured 5× slower). decode.ts's own numbers are
//   checked below at load time; the IR numbers by the conformance tests.
// - String constants are allocated before the entry runs, in function order
//   then index order, and rooted in a base scope for the whole run.
import { type Cell, CELL_NULL, CELL_TRUE, CELL_FALSE, cellFromF64 } from "../cell.ts";
import { Heap, type HeapConfig } from "../heap.ts";
import { Trap, TrapCode, trapName } from "../trap.ts";
import type { HostFunctions } from "../host-functions.ts";
import { type HostSite, hostSites } from "./host-call.ts";
import type { Program } from "../../../compiler3-emit/src/ir/model.ts";
import { OpCode, Type } from "../../../compiler3-emit/src/ir/model.ts";
import { boolCell, cellF64, cellInt, handleArena, intCell, intOverflow, isHandle, rawF64 } from "./cells.ts";
import {
  BANK_F, BANK_NONE, BANK_R, decodeProgram, type Edge, type FnCode, type Ins,
  K_F64, K_R, KIND_BOOL, KIND_F64, KIND_I64, T_BRANCH, T_JUMP, T_RETURN, T_UNREACHABLE,
} from "./decode.ts";
import { f64Bits, f64ToI64, fma } from "./f64.ts";
import { add, div, fromBig, type I64, index, mod, mul, neg, sub, toBig } from "./i64.ts";

export type ResultValue =
  | { type: "i64"; i64: bigint }
  | { type: "f64"; f64: number; bits: bigint }
  | { type: "bool"; bool: boolean }
  | { type: "str"; str: string }
  | { type: "unit" };

export type RunResult =
  | { kind: "ok"; value: ResultValue }
  | { kind: "trap"; code: TrapCode; name: string; function: string; block: number; value: number; message: string };

export interface RunOptions {
  /** The function to run; absent or empty: `program.entry`. */
  entry?: string;
  /** One i64 per parameter. */
  args: readonly bigint[];
  /** Absent: variant AUTO with the default limits (ir.md §8.3). */
  heap?: HeapConfig;
  /** Non-tail call depth limit (≥ 10,000 per §8.8); default 100,000. */
  maxDepth?: number;
  /** The functions of the program's host imports, by name (host.md §11.5). */
  host?: HostFunctions | undefined;
}

/** A run that could not start (wrong argument count, unknown entry): a usage error, not a trap (§8.9). */
export class RunUsageError extends Error {}

export const DEFAULT_MAX_DEPTH = 100_000;

class Frame {
  fn: FnCode;
  R: unknown[];
  F: Float64Array;
  /** The pc to resume at, and the CALL instruction whose dst gets the result. */
  pc = 0;
  call: Ins | null = null;
  constructor(fn: FnCode, R: unknown[], F: Float64Array) {
    this.fn = fn;
    this.R = R;
    this.F = F;
  }
}

const NO_F = new Float64Array(0);
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

if (T_JUMP !== 100 || T_BRANCH !== 101 || T_RETURN !== 102 || T_UNREACHABLE !== 103 || K_F64 !== 104 || K_R !== 105) {
  throw new Error("interp: decode.ts internal opcodes changed; update run.ts's case labels");
}

/** Runs a validated program (ir.md §8.11); the caller validates. */
export function runProgram(program: Program, options: RunOptions): RunResult {
  return runProgramDetailed(program, options).result;
}

/** `runProgram`, also giving the heap the run used, as the run (or the trap) left it. */
export function runProgramDetailed(program: Program, options: RunOptions): { result: RunResult; heap: Heap } {
  const entryName = options.entry === undefined || options.entry === "" ? program.entry : options.entry;
  const entryIndex = program.functions.findIndex((f) => f.name === entryName);
  if (entryIndex < 0) throw new RunUsageError(`no function named ${entryName}`);
  const entryFn = program.functions[entryIndex]!;
  if (options.args.length !== entryFn.params.length) {
    throw new RunUsageError(`${entryName} takes ${entryFn.params.length} argument(s), got ${options.args.length}`);
  }
  for (const id of entryFn.params) {
    if (entryFn.values[id]!.type !== Type.I64) throw new RunUsageError(`${entryName}: parameter v${id} is not i64`);
  }
  for (const a of options.args) {
    if (a < MIN_I64 || a > MAX_I64) throw new RunUsageError(`argument ${a} is not an int64`);
  }
  const hosts = hostSites(program, options.host);
  const heap = new Heap(options.heap ?? { variant: "auto" });
  const machine = new Machine(program, heap, options.maxDepth ?? DEFAULT_MAX_DEPTH, hosts);
  return { result: machine.run(entryIndex, options.args), heap };
}

class Machine {
  readonly heap: Heap;
  readonly program: Program;
  readonly maxDepth: number;
  fns: FnCode[] = [];
  /** The frames below the running one, and the running one (for compaction). */
  readonly stack: Frame[] = [];
  cur!: Frame;
  /** The register root scope (§ design above): its mark, roots pushed since it opened, and the frames' reference registers. */
  mark = 0;
  roots = 0;
  liveRefs = 0;

  readonly hosts: readonly HostSite[];

  constructor(program: Program, heap: Heap, maxDepth: number, hosts: readonly HostSite[]) {
    this.program = program;
    this.heap = heap;
    this.maxDepth = maxDepth;
    this.hosts = hosts;
  }

  run(entryIndex: number, args: readonly bigint[]): RunResult {
    const heap = this.heap;
    // §8.10: string constants, before the entry, rooted for the whole run.
    let strCells: Cell[][];
    try {
      heap.scopeEnter();
      strCells = this.program.functions.map((f) =>
        f.strings.map((s) => {
          const c = heap.strNew(s);
          heap.scopeRoot(c);
          return c;
        }),
      );
    } catch (e) {
      if (e instanceof Trap) return trapResult(e, this.program.functions[entryIndex]!.name, -1, -1);
      throw e;
    }
    this.fns = decodeProgram(this.program, strCells);
    const fn = this.fns[entryIndex]!;
    const frame = new Frame(fn, new Array<unknown>(fn.nR), fn.nF === 0 ? NO_F : new Float64Array(fn.nF));
    for (let i = 0; i < args.length; i++) frame.R[fn.paramReg[i]!] = fromBig(args[i]!);
    this.mark = heap.scopeEnter();
    return this.loop(frame);
  }

  /**
   * Roots a reference/any Cell just written to a register. When the register
   * scope holds more than twice the frames' reference registers (plus
   * slack), it is rebuilt from the registers of every frame on the stack:
   * amortised O(1) per write, and the root stack stays O(live registers).
   */
  root(c: unknown): void {
    try {
      this.heap.scopeRoot(c as Cell);
    } catch (e) {
      if (!(e instanceof Trap)) throw e; // a stale handle needs no root
    }
    if (++this.roots > 2 * this.liveRefs + 256) this.compact();
  }

  compact(): void {
    const heap = this.heap;
    heap.scopeExit(this.mark);
    this.mark = heap.scopeEnter();
    let n = 0;
    const frames = [...this.stack, this.cur];
    for (const f of frames) {
      const refs = f.fn.refRegs;
      for (let i = 0; i < refs.length; i++) {
        const v = f.R[refs[i]!];
        if (v === undefined) continue;
        try {
          heap.scopeRoot(v as Cell);
        } catch (e) {
          if (!(e instanceof Trap)) throw e;
        }
        n++;
      }
    }
    this.roots = n;
  }

  loop(first: Frame): RunResult {
    const heap = this.heap;
    const fns = this.fns;
    const maxDepth = this.maxDepth;
    const stack = this.stack;
    let fr = first;
    this.cur = first;
    this.liveRefs = first.fn.refRegs.length;
    let fn = fr.fn;
    let code = fn.code;
    let R = fr.R;
    let F = fr.F;
    let pc = 0;
    let ins: Ins = code[0]!;

    try {
      for (;;) {
        ins = code[pc++]!;
        switch (ins.op) {
          case 105 /* K_R */: R[ins.d] = ins.k; break;
          case 104 /* K_F64 */: F[ins.d] = ins.k as number; break;
          // ---- i64
          case 4 /* ADD_I64 */: {
            const a = R[ins.a] as I64, b = R[ins.b] as I64;
            if (typeof a === "number" && typeof b === "number") {
              const r = a + b;
              if (r <= 9007199254740991 && r >= -9007199254740991) { R[ins.d] = r; break; }
            }
            R[ins.d] = add(a, b);
            break;
          }
          case 5 /* SUB_I64 */: R[ins.d] = sub(R[ins.a] as I64, R[ins.b] as I64); break;
          case 6 /* MUL_I64 */: R[ins.d] = mul(R[ins.a] as I64, R[ins.b] as I64); break;
          case 7 /* DIV_I64 */: R[ins.d] = div(R[ins.a] as I64, R[ins.b] as I64); break;
          case 8 /* MOD_I64 */: R[ins.d] = mod(R[ins.a] as I64, R[ins.b] as I64); break;
          case 9 /* NEG_I64 */: R[ins.d] = neg(R[ins.a] as I64); break;
          case 10 /* ADD_I64_IMM */: {
            const a = R[ins.a] as I64, b = ins.k as I64;
            if (typeof a === "number" && typeof b === "number") {
              const r = a + b;
              if (r <= 9007199254740991 && r >= -9007199254740991) { R[ins.d] = r; break; }
            }
            R[ins.d] = add(a, b);
            break;
          }
          case 11 /* SUB_I64_IMM */: R[ins.d] = sub(R[ins.a] as I64, ins.k as I64); break;
          case 12 /* MUL_I64_IMM */: R[ins.d] = mul(R[ins.a] as I64, ins.k as I64); break;
          case 13 /* DIV_I64_IMM */: R[ins.d] = div(R[ins.a] as I64, ins.k as I64); break;
          case 14 /* MOD_I64_IMM */: R[ins.d] = mod(R[ins.a] as I64, ins.k as I64); break;
          // Canonical representation: === is equality; mixed number/bigint < is exact in JS.
          case 20 /* CMP_EQ_I64 */: R[ins.d] = R[ins.a] === R[ins.b]; break;
          case 21 /* CMP_NE_I64 */: R[ins.d] = R[ins.a] !== R[ins.b]; break;
          case 22 /* CMP_LT_I64 */: R[ins.d] = (R[ins.a] as I64) < (R[ins.b] as I64); break;
          case 23 /* CMP_LE_I64 */: R[ins.d] = (R[ins.a] as I64) <= (R[ins.b] as I64); break;
          case 24 /* CMP_GT_I64 */: R[ins.d] = (R[ins.a] as I64) > (R[ins.b] as I64); break;
          case 25 /* CMP_GE_I64 */: R[ins.d] = (R[ins.a] as I64) >= (R[ins.b] as I64); break;
          case 26 /* CMP_EQ_I64_IMM */: R[ins.d] = R[ins.a] === ins.k; break;
          case 27 /* CMP_NE_I64_IMM */: R[ins.d] = R[ins.a] !== ins.k; break;
          case 28 /* CMP_LT_I64_IMM */: R[ins.d] = (R[ins.a] as I64) < (ins.k as I64); break;
          case 29 /* CMP_LE_I64_IMM */: R[ins.d] = (R[ins.a] as I64) <= (ins.k as I64); break;
          case 30 /* CMP_GT_I64_IMM */: R[ins.d] = (R[ins.a] as I64) > (ins.k as I64); break;
          case 31 /* CMP_GE_I64_IMM */: R[ins.d] = (R[ins.a] as I64) >= (ins.k as I64); break;
          // ---- f64
          case 15 /* ADD_F64 */: F[ins.d] = F[ins.a]! + F[ins.b]!; break;
          case 16 /* SUB_F64 */: F[ins.d] = F[ins.a]! - F[ins.b]!; break;
          case 17 /* MUL_F64 */: F[ins.d] = F[ins.a]! * F[ins.b]!; break;
          case 18 /* DIV_F64 */: F[ins.d] = F[ins.a]! / F[ins.b]!; break;
          case 19 /* NEG_F64 */: F[ins.d] = -F[ins.a]!; break;
          case 70 /* CMP_EQ_F64 */: R[ins.d] = F[ins.a]! === F[ins.b]!; break;
          case 71 /* CMP_NE_F64 */: R[ins.d] = F[ins.a]! !== F[ins.b]!; break;
          case 72 /* CMP_LT_F64 */: R[ins.d] = F[ins.a]! < F[ins.b]!; break;
          case 73 /* CMP_LE_F64 */: R[ins.d] = F[ins.a]! <= F[ins.b]!; break;
          case 74 /* CMP_GT_F64 */: R[ins.d] = F[ins.a]! > F[ins.b]!; break;
          case 75 /* CMP_GE_F64 */: R[ins.d] = F[ins.a]! >= F[ins.b]!; break;
          case 76 /* I64_TO_F64 */: { const a = R[ins.a] as I64; F[ins.d] = typeof a === "number" ? a : Number(a); break; }
          case 77 /* F64_TO_I64 */: R[ins.d] = f64ToI64(F[ins.a]!); break;
          case 78 /* SQRT_F64 */: F[ins.d] = Math.sqrt(F[ins.a]!); break;
          case 79 /* FMA_F64 */: F[ins.d] = fma(F[ins.a]!, F[ins.b]!, F[ins.c]!); break;
          // ---- bool
          case 80 /* NOT_BOOL */: R[ins.d] = !R[ins.a]; break;
          case 81 /* AND_BOOL */: R[ins.d] = (R[ins.a] as boolean) && (R[ins.b] as boolean); break;
          case 82 /* OR_BOOL */: R[ins.d] = (R[ins.a] as boolean) || (R[ins.b] as boolean); break;
          case 83 /* CMP_EQ_BOOL */: R[ins.d] = R[ins.a] === R[ins.b]; break;
          case 84 /* CMP_NE_BOOL */: R[ins.d] = R[ins.a] !== R[ins.b]; break;
          // ---- strings
          case 32 /* LEN_STR */: R[ins.d] = heap.strLen(R[ins.a] as Cell); break;
          case 33 /* CONCAT_STR */: { const c = heap.strConcat(R[ins.a] as Cell, R[ins.b] as Cell); R[ins.d] = c; this.root(c); break; }
          case 34 /* CMP_EQ_STR */: R[ins.d] = heap.strEq(R[ins.a] as Cell, R[ins.b] as Cell); break;
          case 35 /* CMP_NE_STR */: R[ins.d] = !heap.strEq(R[ins.a] as Cell, R[ins.b] as Cell); break;
          // ---- list<i64> (I64Arr arena)
          case 36 /* NEW_LIST */: { const c = heap.i64arrNew(0); R[ins.d] = c; this.root(c); break; }
          case 37 /* LIST_LEN_I64 */: R[ins.d] = heap.i64arrLen(R[ins.a] as Cell); break;
          case 38 /* LIST_PUSH_I64 */: {
            const l = R[ins.a] as Cell, v = R[ins.b] as I64;
            const c = intCell(v);
            if (c === undefined) { heap.i64arrLen(l); throw intOverflow("list_push", v); }
            heap.i64arrPush(l, c);
            break;
          }
          case 39 /* LIST_GET_I64 */: R[ins.d] = cellInt(heap.i64arrGet(R[ins.a] as Cell, index(R[ins.b] as I64)))!; break;
          case 40 /* LIST_SET_I64 */: {
            const l = R[ins.a] as Cell, i = index(R[ins.b] as I64), v = R[ins.c] as I64;
            const c = intCell(v);
            if (c === undefined) { heap.i64arrGet(l, i); throw intOverflow("list_set", v); }
            heap.i64arrSet(l, i, c);
            break;
          }
          // ---- maps
          case 41 /* NEW_MAP */: { const c = heap.mapNew(); R[ins.d] = c; this.root(c); break; }
          case 42 /* MAP_SET_I64_I64 */: {
            const m = R[ins.a] as Cell, k = R[ins.b] as I64, v = R[ins.c] as I64;
            const kc = intCell(k), vc = intCell(v);
            if (kc === undefined || vc === undefined) { heap.mapLen(m); throw intOverflow("map_set", kc === undefined ? k : v); }
            heap.mapSet(m, kc, vc);
            break;
          }
          case 43 /* MAP_GET_I64_I64 */: {
            const m = R[ins.a] as Cell, kc = intCell(R[ins.b] as I64);
            // A key outside 48 bits can never be stored: absent, so 0 (after the handle check).
            if (kc === undefined) { heap.mapLen(m); R[ins.d] = 0; break; }
            R[ins.d] = cellInt(heap.mapGet(m, kc))!;
            break;
          }
          case 85 /* MAP_HAS_I64 */: {
            const m = R[ins.a] as Cell, kc = intCell(R[ins.b] as I64);
            if (kc === undefined) { heap.mapLen(m); R[ins.d] = false; break; }
            R[ins.d] = heap.mapHas(m, kc);
            break;
          }
          case 86 /* MAP_LEN */: R[ins.d] = heap.mapLen(R[ins.a] as Cell); break;
          // ---- references
          case 46 /* NULL */: R[ins.d] = CELL_NULL; break;
          case 47 /* IS_NULL */: R[ins.d] = R[ins.a] === CELL_NULL; break;
          case 48 /* FREE */: {
            const c = R[ins.a] as Cell;
            if (c === CELL_NULL) throw new Trap(TrapCode.NULL_DEREF, "free", "null");
            heap.free(c);
            break;
          }
          case 49 /* STRUCT_NEW */: {
            const regs = ins.args!, kinds = ins.argKinds!;
            const cells: Cell[] = new Array<Cell>(regs.length);
            for (let i = 0; i < regs.length; i++) cells[i] = this.fieldCell(kinds[i]!, regs[i]!, R, F, "struct_new");
            const s = heap.structNew(regs.length, ins.k as number);
            for (let i = 0; i < cells.length; i++) heap.structSet(s, i, cells[i]!);
            R[ins.d] = s;
            this.root(s);
            break;
          }
          case 50 /* STRUCT_GET */: {
            const c = heap.structGet(R[ins.a] as Cell, ins.k as number);
            switch (ins.kind) {
              case KIND_I64: R[ins.d] = cellInt(c)!; break;
              case KIND_F64: F[ins.d] = rawF64(c); break;
              case KIND_BOOL: R[ins.d] = c === CELL_TRUE; break;
              default: R[ins.d] = c; this.root(c);
            }
            break;
          }
          case 51 /* STRUCT_SET */: {
            const s = R[ins.a] as Cell;
            let c: Cell;
            switch (ins.kind) {
              case KIND_I64: {
                const v = R[ins.b] as I64;
                const ic = intCell(v);
                if (ic === undefined) { heap.structLen(s); throw intOverflow("struct_set", v); }
                c = ic;
                break;
              }
              case KIND_F64: c = cellFromF64(F[ins.b]!); break;
              case KIND_BOOL: c = R[ins.b] ? CELL_TRUE : CELL_FALSE; break;
              default: c = R[ins.b] as Cell;
            }
            heap.structSet(s, ins.k as number, c);
            break;
          }
          // ---- list<any> (List arena)
          case 52 /* NEW_LIST_ANY */: { const c = heap.listNew(0); R[ins.d] = c; this.root(c); break; }
          case 53 /* LIST_ANY_LEN */: R[ins.d] = heap.listLen(R[ins.a] as Cell); break;
          case 54 /* LIST_ANY_PUSH */: heap.listPush(R[ins.a] as Cell, R[ins.b] as Cell); break;
          case 55 /* LIST_ANY_GET */: { const c = heap.listGet(R[ins.a] as Cell, index(R[ins.b] as I64)); R[ins.d] = c; this.root(c); break; }
          case 56 /* LIST_ANY_SET */: heap.listSet(R[ins.a] as Cell, index(R[ins.b] as I64), R[ins.c] as Cell); break;
          // ---- f64arr
          case 57 /* NEW_F64_ARRAY */: { const c = heap.f64arrNew(0); R[ins.d] = c; this.root(c); break; }
          case 58 /* F64_ARRAY_LEN */: R[ins.d] = heap.f64arrLen(R[ins.a] as Cell); break;
          case 59 /* F64_ARRAY_PUSH */: heap.f64arrPush(R[ins.a] as Cell, cellFromF64(F[ins.b]!)); break;
          case 60 /* F64_ARRAY_GET */: F[ins.d] = rawF64(heap.f64arrGet(R[ins.a] as Cell, index(R[ins.b] as I64))); break;
          case 61 /* F64_ARRAY_SET */: heap.f64arrSet(R[ins.a] as Cell, index(R[ins.b] as I64), cellFromF64(F[ins.c]!)); break;
          // ---- boxing
          case 62 /* BOX_I64 */: {
            const v = R[ins.a] as I64;
            const c = intCell(v);
            if (c === undefined) throw intOverflow("int_cell", v);
            R[ins.d] = c; // never a handle: no root needed
            break;
          }
          case 63 /* BOX_F64 */: R[ins.d] = cellFromF64(F[ins.a]!); break;
          case 64 /* BOX_BOOL */: R[ins.d] = boolCell(R[ins.a] as boolean); break;
          case 65 /* BOX_REF */: R[ins.d] = R[ins.a]; break; // same Cell, already rooted in this frame
          case 66 /* UNBOX_I64 */: {
            const v = cellInt(R[ins.a] as Cell);
            if (v === undefined) throw new Trap(TrapCode.WRONG_TYPE, "unbox.i64", "not an integer");
            R[ins.d] = v;
            break;
          }
          case 67 /* UNBOX_F64 */: {
            const v = cellF64(R[ins.a] as Cell);
            if (v === undefined) throw new Trap(TrapCode.WRONG_TYPE, "unbox.f64", "not a float");
            F[ins.d] = v;
            break;
          }
          case 68 /* UNBOX_BOOL */: {
            const c = R[ins.a] as Cell;
            if (c !== CELL_TRUE && c !== CELL_FALSE) throw new Trap(TrapCode.WRONG_TYPE, "unbox.bool", "not a bool");
            R[ins.d] = c === CELL_TRUE;
            break;
          }
          case 69 /* UNBOX_REF */: {
            const c = R[ins.a] as Cell;
            if (c !== CELL_NULL) {
              if (!isHandle(c)) throw new Trap(TrapCode.NOT_A_HANDLE, "unbox", "not a heap handle");
              const arena = handleArena(c);
              if (arena !== ins.kind) throw new Trap(TrapCode.WRONG_ARENA, "unbox", `arena ${arena}, want ${ins.kind}`);
              heap.pinCount(c); // STALE_HANDLE when it names no live slot
              if ((ins.k as number) >= 0 && heap.structShape(c) !== ins.k) {
                throw new Trap(TrapCode.WRONG_TYPE, "unbox", `struct of shape ${heap.structShape(c)}, want ${ins.k as number}`);
              }
            }
            R[ins.d] = c;
            break;
          }
          // ---- host
          case 89 /* HOST_CALL */: {
            const out = this.hosts[ins.k as number]!.call(heap, R, F, ins.args!, ins.argKinds!);
            if (ins.kind === BANK_F) F[ins.d] = out as number;
            else if (ins.kind === BANK_R) {
              R[ins.d] = out;
              if (ins.root) this.root(out);
            }
            break;
          }
          case 87 /* HOST_NEW */: { const c = heap.hostNew(heap.strText(R[ins.a] as Cell)); R[ins.d] = c; this.root(c); break; }
          case 88 /* HOST_STR */: {
            const v = heap.hostGet(R[ins.a] as Cell);
            if (typeof v !== "string") throw new Trap(TrapCode.WRONG_TYPE, "host_get", "the Host slot holds no string");
            const c = heap.strNew(v);
            R[ins.d] = c;
            this.root(c);
            break;
          }
          // ---- calls
          case 44 /* CALL */: {
            if (stack.length + 1 >= maxDepth) throw new Trap(TrapCode.STACK_OVERFLOW, "call", `call depth ${maxDepth}`);
            const callee = fns[ins.k as number]!;
            const nf = new Frame(callee, new Array<unknown>(callee.nR), callee.nF === 0 ? NO_F : new Float64Array(callee.nF));
            passArgs(ins, callee, R, F, nf);
            fr.pc = pc;
            fr.call = ins;
            stack.push(fr);
            // The arguments stay rooted by the caller's registers while the callee runs.
            this.liveRefs += callee.refRegs.length;
            this.cur = fr = nf;
            fn = callee;
            code = fn.code;
            R = fr.R;
            F = fr.F;
            pc = 0;
            break;
          }
          case 45 /* TAIL_CALL */: {
            const callee = fns[ins.k as number]!;
            const nf = new Frame(callee, new Array<unknown>(callee.nR), callee.nF === 0 ? NO_F : new Float64Array(callee.nF));
            passArgs(ins, callee, R, F, nf);
            // The arguments were rooted when the caller's registers were written;
            // those roots stay until the next compaction, which sees only nf.
            this.liveRefs += callee.refRegs.length - fn.refRegs.length;
            this.cur = fr = nf;
            fn = callee;
            code = fn.code;
            R = fr.R;
            F = fr.F;
            pc = 0;
            break;
          }
          // ---- terminators
          case 100 /* T_JUMP */: {
            const e = ins.e1!;
            move(e, R, F);
            pc = e.pc;
            break;
          }
          case 101 /* T_BRANCH */: {
            const e = R[ins.a] ? ins.e1! : ins.e2!;
            move(e, R, F);
            pc = e.pc;
            break;
          }
          case 102 /* T_RETURN */: {
            const bank = ins.kind;
            const rv: unknown = bank === BANK_R ? R[ins.a] : 0;
            const fv = bank === BANK_F ? F[ins.a]! : 0;
            const caller = stack.pop();
            if (caller === undefined) return this.result(fn, rv, fv);
            this.liveRefs -= fn.refRegs.length;
            this.cur = fr = caller;
            fn = fr.fn;
            code = fn.code;
            R = fr.R;
            F = fr.F;
            pc = fr.pc;
            const call = fr.call!;
            if (bank === BANK_R) {
              R[call.d] = rv;
              if (call.root) this.root(rv);
            } else if (bank === BANK_F) F[call.d] = fv;
            break;
          }
          case 103 /* T_UNREACHABLE */:
            throw new Trap(TrapCode.UNREACHABLE, "unreachable", "reached an unreachable terminator");
          default:
            throw new Error(`interp: op ${ins.op} has no implementation`);
        }
      }
    } catch (e) {
      if (e instanceof Trap) return trapResult(e, fn.name, ins.blk, ins.vid);
      throw e;
    }
  }

  /** `value(arg)` of STRUCT_NEW, checked before allocating (ir.md §8.5 op 49). */
  fieldCell(kind: number, reg: number, R: unknown[], F: Float64Array, op: string): Cell {
    switch (kind) {
      case KIND_I64: {
        const v = R[reg] as I64;
        const c = intCell(v);
        if (c === undefined) throw intOverflow(op, v);
        return c;
      }
      case KIND_F64: return cellFromF64(F[reg]!);
      case KIND_BOOL: return R[reg] ? CELL_TRUE : CELL_FALSE;
      default: {
        const c = R[reg] as Cell;
        if (c !== CELL_NULL && isHandle(c)) this.heap.pinCount(c); // STALE_HANDLE for a freed object
        return c;
      }
    }
  }

  result(fn: FnCode, rv: unknown, fv: number): RunResult {
    switch (fn.result) {
      case Type.I64: return { kind: "ok", value: { type: "i64", i64: toBig(rv as I64) } };
      case Type.F64: return { kind: "ok", value: { type: "f64", f64: fv, bits: f64Bits(fv) } };
      case Type.BOOL: return { kind: "ok", value: { type: "bool", bool: rv as boolean } };
      case Type.STR:
        try {
          return { kind: "ok", value: { type: "str", str: this.heap.strText(rv as Cell) } };
        } catch (e) {
          if (e instanceof Trap) return trapResult(e, fn.name, -1, -1);
          throw e;
        }
      default: return { kind: "ok", value: { type: "unit" } };
    }
  }
}

function passArgs(ins: Ins, callee: FnCode, R: unknown[], F: Float64Array, nf: Frame): void {
  const regs = ins.args!;
  const banks = callee.paramBank;
  const dst = callee.paramReg;
  for (let i = 0; i < regs.length; i++) {
    if (banks[i] === BANK_F) nf.F[dst[i]!] = F[regs[i]!]!;
    else if (banks[i] !== BANK_NONE) nf.R[dst[i]!] = R[regs[i]!];
  }
}

/** Takes an edge: the target's phis, all at once (§8.7). */
function move(e: Edge, R: unknown[], F: Float64Array): void {
  const rs = e.rs, rd = e.rd;
  const n = rs.length;
  if (n === 1) R[rd[0]!] = R[rs[0]!];
  else if (n > 1) {
    const t = e.tmpR;
    for (let i = 0; i < n; i++) t[i] = R[rs[i]!];
    for (let i = 0; i < n; i++) R[rd[i]!] = t[i];
  }
  const fs = e.fs, fd = e.fd;
  const m = fs.length;
  if (m === 1) F[fd[0]!] = F[fs[0]!]!;
  else if (m > 1) {
    const t = e.tmpF;
    for (let i = 0; i < m; i++) t[i] = F[fs[i]!]!;
    for (let i = 0; i < m; i++) F[fd[i]!] = t[i]!;
  }
}

function trapResult(e: Trap, fn: string, block: number, value: number): RunResult {
  return { kind: "trap", code: e.code, name: trapName(e.code), function: fn, block, value, message: e.message };
}
