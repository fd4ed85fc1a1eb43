// One IR function (ir.md §8.1, §8.7) as one Wasm function, for either target
// (WasmGC, wasmgc.md §9.2; handle ABI, handle-abi.md §10.5–10.6). What a
// value becomes is the target's (`FunctionTarget`); the function's shape is
// common:
//
// - Locals: an IR parameter is the Wasm parameter of the same index (rule 5
//   makes them values 0..k-1); every other non-unit value has its own local.
//   binaryen's optimiser coalesces them.
// - Control flow: the CFG is structured by binaryen's Relooper (DESIGN.md
//   §6: a proven method), which handles any CFG, irreducible included.
// - Phis become parallel moves on each incoming edge (the Relooper's branch
//   code). §8.7's simultaneous semantics matter only when a phi's source is
//   another phi of the same block; those sources are read into temporaries
//   first.
// - Blocks unreachable from block 0 are never run (§8.7) and not emitted.
// - A self tail call (TAIL_CALL of the function itself, §8.8) becomes a
//   parallel move of its arguments into the parameters and a branch back to
//   block 0: the corpus's tail-recursive kernels (lists_fill_sum, sum loops)
//   run as Wasm loops in constant stack. Block 0 is then a loop header, so
//   the Relooper is entered through a prologue block of its own (which also
//   holds the target's prologue code).

import type { FullType, Func, Value } from "../ir/model.ts";
import { OpCode, TermKind, Type } from "../ir/model.ts";
import { dominators } from "../ir/cfg.ts";
import { binaryen } from "./binaryen.ts";
import { LARGE_FUNCTION_VALUES } from "./limits.ts";
import { TrapCode, emitTrap } from "./trap.ts";

type Expr = binaryen.ExpressionRef;

export interface ValueEnv {
  /** The local of SSA value `id`. */
  get(id: number): Expr;
  /** Sets the local of `v` (or evaluates a unit expression). */
  def(v: Value, e: Expr): Expr;
  /** A fresh local of type `t`, for the target's own bookkeeping. */
  newLocal(t: binaryen.Type): number;
  readonly fn: Func;
  readonly fnIndex: number;
}

/** What one target makes of values, and where it adds its own code. */
export interface FunctionTarget {
  readonly module: binaryen.Module;
  valueType(t: FullType): binaryen.Type;
  functionName(i: number): string;
  /** The statements of a value other than PARAM, PHI and a self TAIL_CALL. */
  translateValue(env: ValueEnv, v: Value): Expr[];
  /** Whether a TAIL_CALL of another function is a `return_call` (else `translateValue` makes it a call and the block returns its value). */
  readonly returnCall: boolean;
  /** Code once on entry, before block 0 (optional). */
  prologue?(env: ValueEnv): Expr[];
  /** Code right after `v` is defined: a value, a phi at its block's start, a parameter after the prologue and after a self tail call's move. */
  afterDefine?(env: ValueEnv, v: Value): Expr[];
  /** Code before every `return`. */
  beforeReturn?(env: ValueEnv): Expr[];
}

export function emitFunction(target: FunctionTarget, fn: Func, fnIndex: number): void {
  const m = target.module;
  const nParams = fn.params.length;
  const vars: binaryen.Type[] = [];
  const localOf: number[] = new Array<number>(fn.values.length).fill(-1);
  const typeOf = (v: FullType) => target.valueType(v);
  const shared = fn.values.length > LARGE_FUNCTION_VALUES ? blockLocalValues(fn) : undefined;
  fn.values.forEach((v, id) => {
    if (id < nParams) {
      localOf[id] = id;
      return;
    }
    const t = typeOf(v);
    if (t === binaryen.none || shared?.has(id)) return;
    localOf[id] = nParams + vars.length;
    vars.push(t);
  });
  if (shared !== undefined) shareLocals(fn, shared, typeOf, localOf, vars, nParams);
  const newLocal = (t: binaryen.Type): number => {
    vars.push(t);
    return nParams + vars.length - 1;
  };

  const env: ValueEnv = {
    fn,
    fnIndex,
    newLocal,
    get(id) {
      const l = localOf[id]!;
      if (l < 0) throw new Error(`func ${fn.name}: v${id} is unit and has no local`);
      return m.local.get(l, typeOf(fn.values[id]!));
    },
    def(v, e) {
      const l = localOf[v.id]!;
      return l < 0 ? e : m.local.set(l, e);
    },
  };
  const after = (v: Value): Expr[] => target.afterDefine?.(env, v) ?? [];
  const beforeReturn = (): Expr[] => target.beforeReturn?.(env) ?? [];
  const params = fn.params.map((id) => fn.values[id]!);

  const dom = dominators(fn);
  const relooper = new binaryen.Relooper(m);
  const blocks = new Map<number, binaryen.RelooperBlockRef>();
  const resultType = typeOf({ type: fn.result, elemType: fn.resultElemType, structId: fn.resultStructId });

  // The prologue first: a target sets up its per-activation state there.
  const prologue = [...(target.prologue?.(env) ?? []), ...params.flatMap(after)];

  /** Blocks ending in a self tail call, with the move of its arguments into the parameters. */
  const selfTail = new Map<number, Expr>();
  const paramMove = (call: Value): Expr => {
    const temps = call.args.map((id) => newLocal(typeOf(fn.values[id]!)));
    const reads = call.args.map((id, i) => m.local.set(temps[i]!, env.get(id)));
    const writes = params.map((p, i) => m.local.set(localOf[p.id]!, m.local.get(temps[i]!, typeOf(p))));
    return m.block(null, [...reads, ...writes, ...params.flatMap(after)]);
  };

  for (const block of fn.blocks) {
    if (!dom.reachable(block.id)) continue;
    const body: Expr[] = [];
    let returnCalled = false;
    for (const id of block.values) {
      const v = fn.values[id]!;
      if (v.op === OpCode.PARAM) continue;
      if (v.op === OpCode.PHI) {
        body.push(...after(v));
        continue;
      }
      if (v.op === OpCode.TAIL_CALL && Number(v.const) === fnIndex) {
        selfTail.set(block.id, paramMove(v));
        returnCalled = true;
        continue;
      }
      try {
        body.push(...target.translateValue(env, v));
        if (v.op === OpCode.TAIL_CALL && target.returnCall) returnCalled = true;
        else body.push(...after(v));
      } catch (e) {
        throw new Error(`func ${fn.name}: b${block.id}: v${id}: ${(e as Error).message}`);
      }
    }
    const term = block.term;
    if (term.kind === TermKind.RETURN && !returnCalled) {
      body.push(...beforeReturn(), fn.result === Type.UNIT ? m.return() : m.return(env.get(term.value)));
    } else if (term.kind === TermKind.UNREACHABLE) {
      body.push(emitTrap(m, TrapCode.UNREACHABLE));
    }
    blocks.set(block.id, relooper.addBlock(body.length === 0 ? m.nop() : body.length === 1 ? body[0]! : m.block(null, body)));
  }

  /** The phi moves for the edge from → to (§8.7), as one expression or 0. */
  const moves = (from: number, to: number): Expr => {
    const phis = fn.blocks[to]!.values.map((id) => fn.values[id]!).filter((v) => v.op === OpCode.PHI);
    const pairs: [Value, number][] = [];
    for (const phi of phis) {
      for (let i = 0; i < phi.args.length; i += 2) {
        if (phi.args[i] === from) pairs.push([phi, phi.args[i + 1]!]);
      }
    }
    const phiIds = new Set(phis.map((p) => p.id));
    const reads: Expr[] = [];
    const writes: Expr[] = [];
    for (const [phi, src] of pairs) {
      if (localOf[phi.id]! < 0 || phi.id === src) continue;
      if (phiIds.has(src)) {
        const t = typeOf(fn.values[src]!);
        const tmp = newLocal(t);
        reads.push(m.local.set(tmp, env.get(src)));
        writes.push(m.local.set(localOf[phi.id]!, m.local.get(tmp, t)));
      } else {
        writes.push(env.def(phi, env.get(src)));
      }
    }
    const all = [...reads, ...writes];
    return all.length === 0 ? 0 : m.block(null, all);
  };

  for (const block of fn.blocks) {
    const from = blocks.get(block.id);
    if (from === undefined) continue;
    const term = block.term;
    const loop = selfTail.get(block.id);
    if (loop !== undefined) {
      relooper.addBranch(from, blocks.get(0)!, 0, loop);
    } else if (term.kind === TermKind.JUMP) {
      relooper.addBranch(from, blocks.get(term.target)!, 0, moves(block.id, term.target));
    } else if (term.kind === TermKind.BRANCH) {
      relooper.addBranch(from, blocks.get(term.ifTrue)!, env.get(term.value), moves(block.id, term.ifTrue));
      relooper.addBranch(from, blocks.get(term.ifFalse)!, 0, moves(block.id, term.ifFalse));
    }
  }

  let entry = blocks.get(0)!;
  if (selfTail.size > 0 || prologue.length > 0) {
    entry = relooper.addBlock(prologue.length === 0 ? m.nop() : m.block(null, prologue));
    relooper.addBranch(entry, blocks.get(0)!, 0, 0);
  }
  const labelHelper = newLocal(binaryen.i32);
  try {
    const body = relooper.renderAndDispose(entry, labelHelper);
    // The Relooper's output may fall off its end after blocks that all return;
    // an `unreachable` there makes the body's type the result type.
    const full = resultType === binaryen.none ? body : m.block(null, [body, m.unreachable()], resultType);
    m.addFunction(target.functionName(fnIndex), binaryen.createType(params.map(typeOf)), resultType, vars, full);
  } catch (e) {
    // binaryen's own failure (the Relooper recurses on the CFG's nesting):
    // one line naming the function, never the library's stack.
    const error = e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e);
    throw new Error(`func ${fn.name}: structuring its ${fn.blocks.length} blocks failed in binaryen (${error})`);
  }
}

/**
 * Block-local values of a large function (more than LARGE_FUNCTION_VALUES
 * values; optimize.ts): values other than parameters and phis whose every
 * use is in the block that defines them — an operand of a later value, the
 * block's terminator, or a phi move on an edge leaving the block. Each maps
 * to its last use's index in the block's `values` (Infinity: the terminator
 * or an edge, which run after the block's values; -1: unused).
 *
 * Why: binaryen's coalesce-locals, which would merge the locals of values
 * whose lives do not overlap, is quadratic in the number of locals and is
 * skipped for a large function, and V8's baseline compiler (Liftoff) pays
 * for every local at every control-flow merge: 10,000 blocks with two
 * locals each made Node abort, out of memory in V8's assembler, on the
 * first call. A block-local value is dead outside its block, so the values
 * of different blocks can share locals freely, and within a block a local
 * is free again after its value's last use (shareLocals).
 */
function blockLocalValues(fn: Func): Map<number, number> {
  const defBlock = new Int32Array(fn.values.length).fill(-1);
  for (const b of fn.blocks) for (const id of b.values) defBlock[id] = b.id;
  const lastUse = new Map<number, number>();
  const outside = new Set<number>();
  for (const v of fn.values) {
    if (v.op !== OpCode.PARAM && v.op !== OpCode.PHI) lastUse.set(v.id, -1);
  }
  const use = (id: number, block: number, pos: number) => {
    if (defBlock[id] !== block) outside.add(id);
    else if (pos > (lastUse.get(id) ?? Infinity)) lastUse.set(id, pos);
  };
  for (const b of fn.blocks) {
    b.values.forEach((id, pos) => {
      const v = fn.values[id]!;
      if (v.op === OpCode.PHI) {
        // [pred, src] pairs: the move runs on the edge leaving pred.
        for (let i = 0; i < v.args.length; i += 2) use(v.args[i + 1]!, v.args[i]!, Infinity);
      } else {
        // A tail call's arguments are read by the move into the parameters
        // (a self tail call), on the block's way out.
        for (const a of v.args) use(a, b.id, v.op === OpCode.TAIL_CALL ? Infinity : pos);
      }
    });
    if (b.term.kind === TermKind.RETURN || b.term.kind === TermKind.BRANCH) use(b.term.value, b.id, Infinity);
  }
  for (const id of outside) lastUse.delete(id);
  return lastUse;
}

/**
 * Gives the block-local values `shared` (blockLocalValues) locals from a
 * pool per Wasm type: a block starts with every pooled local free; a value
 * takes a free one when it is defined, and its operands whose last use it
 * is give theirs back only after that, so no value's local is one of its
 * own operands' (a target's code for a value may read an operand after
 * setting the value). A value used by the terminator or an edge keeps its
 * local to the end of the block.
 */
function shareLocals(
  fn: Func,
  shared: Map<number, number>,
  typeOf: (v: FullType) => binaryen.Type,
  localOf: number[],
  vars: binaryen.Type[],
  nParams: number,
): void {
  /** Per type: every pooled local, and those free at this point of the block. */
  const all = new Map<binaryen.Type, number[]>();
  const free = new Map<binaryen.Type, number[]>();
  const take = (t: binaryen.Type): number => {
    const local = free.get(t)?.pop();
    if (local !== undefined) return local;
    vars.push(t);
    const fresh = nParams + vars.length - 1;
    if (!all.has(t)) all.set(t, []);
    all.get(t)!.push(fresh);
    return fresh;
  };
  const give = (id: number) => {
    const t = typeOf(fn.values[id]!);
    if (!free.has(t)) free.set(t, []);
    free.get(t)!.push(localOf[id]!);
  };
  for (const b of fn.blocks) {
    for (const [t, locals] of all) free.set(t, [...locals]);
    b.values.forEach((id, pos) => {
      const v = fn.values[id]!;
      const last = shared.get(id);
      if (last !== undefined && typeOf(v) !== binaryen.none) {
        localOf[id] = take(typeOf(v));
      }
      const done = new Set(v.op === OpCode.PHI ? [] : v.args.filter((a) => shared.get(a) === pos && localOf[a]! >= 0));
      for (const a of done) give(a);
      if (last === -1 && localOf[id]! >= 0) give(id);
    });
  }
}
