// One IR function (ir.md §8.1, §8.7) as one Wasm function.
//
// - Locals: an IR parameter is the Wasm parameter of the same index (rule 5
//   makes them values 0..k-1); every other non-unit value has its own local,
//   typed by ir-types.ts (i64/f64 unboxed, bool i32, references nullable).
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
//   run as Wasm loops instead of `return_call`s, in constant stack as §8.8
//   requires. Block 0 is then a loop header, so the Relooper is entered
//   through an empty block of its own.

import type { Func, Value } from "../ir/model.ts";
import { OpCode, TermKind, Type } from "../ir/model.ts";
import { dominators } from "../ir/cfg.ts";
import { binaryen } from "./binaryen.ts";
import type { EmitContext } from "./context.ts";
import { valueType } from "./ir-types.ts";
import { TrapCode, emitTrap } from "./trap.ts";
import { translateValue, type ValueEnv } from "./values.ts";

type Expr = binaryen.ExpressionRef;

export function emitFunction(cx: EmitContext, fnIndex: number): void {
  const m = cx.module;
  const fn: Func = cx.program.functions[fnIndex]!;
  const nParams = fn.params.length;
  const vars: binaryen.Type[] = [];
  const localOf: number[] = new Array<number>(fn.values.length).fill(-1);
  const typeOf = (v: Value) => valueType(cx.types, v);
  fn.values.forEach((v, id) => {
    if (id < nParams) {
      localOf[id] = id;
      return;
    }
    const t = typeOf(v);
    if (t === binaryen.none) return;
    localOf[id] = nParams + vars.length;
    vars.push(t);
  });
  const newLocal = (t: binaryen.Type): number => {
    vars.push(t);
    return nParams + vars.length - 1;
  };

  const env: ValueEnv = {
    fn,
    fnIndex,
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

  const dom = dominators(fn);
  const relooper = new binaryen.Relooper(m);
  const blocks = new Map<number, binaryen.RelooperBlockRef>();
  const resultType = valueType(cx.types, { type: fn.result, elemType: fn.resultElemType, structId: fn.resultStructId });

  /** Blocks ending in a self tail call, with the move of its arguments into the parameters. */
  const selfTail = new Map<number, Expr>();
  const paramMove = (call: Value): Expr => {
    const temps = call.args.map((id) => newLocal(typeOf(fn.values[id]!)));
    const reads = call.args.map((id, i) => m.local.set(temps[i]!, env.get(id)));
    const writes = fn.params.map((p, i) => m.local.set(localOf[p]!, m.local.get(temps[i]!, typeOf(fn.values[p]!))));
    return m.block(null, [...reads, ...writes]);
  };

  for (const block of fn.blocks) {
    if (!dom.reachable(block.id)) continue;
    const body: Expr[] = [];
    let tail = false;
    for (const id of block.values) {
      const v = fn.values[id]!;
      if (v.op === OpCode.PARAM || v.op === OpCode.PHI) continue;
      tail = v.op === OpCode.TAIL_CALL;
      if (tail && Number(v.const) === fnIndex) {
        selfTail.set(block.id, paramMove(v));
        continue;
      }
      try {
        body.push(...translateValue(cx, env, v));
      } catch (e) {
        throw new Error(`func ${fn.name}: b${block.id}: v${id}: ${(e as Error).message}`);
      }
    }
    const term = block.term;
    if (term.kind === TermKind.RETURN && !tail) {
      body.push(fn.result === Type.UNIT ? m.return() : m.return(env.get(term.value)));
    } else if (term.kind === TermKind.UNREACHABLE) {
      body.push(emitTrap(m, TrapCode.UNREACHABLE));
    }
    blocks.set(block.id, relooper.addBlock(body.length === 0 ? m.nop() : body.length === 1 ? body[0]! : m.block(null, body)));
  }

  /** The phi moves for the edge from → to (§8.7), as one expression or 0. */
  const moves = (from: number, to: number): Expr => {
    const target = fn.blocks[to]!;
    const phis = target.values.map((id) => fn.values[id]!).filter((v) => v.op === OpCode.PHI);
    const pairs: [Value, number][] = [];
    for (const phi of phis) {
      for (let i = 0; i < phi.args.length; i += 2) {
        if (phi.args[i] === from) pairs.push([phi, phi.args[i + 1]!]);
      }
    }
    if (pairs.length === 0) return 0;
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
  if (selfTail.size > 0) {
    entry = relooper.addBlock(m.nop());
    relooper.addBranch(entry, blocks.get(0)!, 0, 0);
  }
  const labelHelper = newLocal(binaryen.i32);
  const body = relooper.renderAndDispose(entry, labelHelper);
  const params = binaryen.createType(fn.params.map((id) => typeOf(fn.values[id]!)));
  // The Relooper's output may fall off its end after blocks that all return;
  // an `unreachable` there makes the body's type the result type.
  const full = resultType === binaryen.none ? body : m.block(null, [body, m.unreachable()], resultType);
  m.addFunction(cx.functionName(fnIndex), params, resultType, vars, full);
}
