// Which SSA values a handle-ABI function must root (handle-abi.md §10.5): the
// Cell-carrying values (references and `any`, ir.md §8.2) that are live
// across a call that may collect — including the operands of a `struct.new`,
// which the module stores after the allocating import. Classic backward liveness over the CFG
// (phi operands are uses at the end of their predecessor), then one backward
// walk per block that, at every safepoint, marks the Cells live after it.

import type { Func, Value } from "../ir/model.ts";
import { OpCode, TermKind, Type } from "../ir/model.ts";
import { termTargets } from "../ir/cfg.ts";
import { isReference } from "../ir/types.ts";

/** Slot numbers of the values to root, in first-seen order; empty when the function needs no frame. */
export type RootPlan = ReadonlyMap<number, number>;

/** Values whose op may run a collection: an allocating or growing import, a guest call, or a host call. */
export function isSafepoint(v: Value, fnIndex: number): boolean {
  switch (v.op) {
    case OpCode.CALL:
      return true;
    case OpCode.TAIL_CALL:
      // A self tail call is a branch (§10.6). Another's is a return_call
      // after frame_exit: nothing of this activation is live after it, so
      // as a safepoint it roots nothing; its arguments are the callee's to
      // root.
      return Number(v.const) !== fnIndex;
    case OpCode.CONCAT_STR:
    case OpCode.NEW_LIST:
    case OpCode.LIST_PUSH_I64:
    case OpCode.NEW_MAP:
    case OpCode.MAP_SET_I64_I64:
    case OpCode.STRUCT_NEW:
    case OpCode.NEW_LIST_ANY:
    case OpCode.LIST_ANY_PUSH:
    case OpCode.NEW_F64_ARRAY:
    case OpCode.F64_ARRAY_PUSH:
    case OpCode.HOST_NEW:
    case OpCode.HOST_STR:
    case OpCode.HOST_CALL: // the host allocates its result, and the host function may use the heap (§10.8)
      return true;
    default:
      return false;
  }
}

/** Operands read by a non-phi value. */
function uses(v: Value): readonly number[] {
  return v.op === OpCode.PHI ? [] : v.args;
}

export function planRoots(fn: Func, fnIndex: number): RootPlan {
  const cell = (id: number) => isReference(fn.values[id]!);
  const n = fn.blocks.length;
  const liveIn: Set<number>[] = fn.blocks.map(() => new Set());
  const liveOut: Set<number>[] = fn.blocks.map(() => new Set());

  /** Live at the end of block b: the live-ins of its successors minus their phis, plus the phi sources for the edge from b. */
  const outOf = (b: number): Set<number> => {
    const out = new Set<number>();
    for (const s of termTargets(fn.blocks[b]!.term)) {
      const succ = fn.blocks[s]!;
      for (const x of liveIn[s]!) {
        if (fn.values[x]!.op !== OpCode.PHI || !succ.values.includes(x)) out.add(x);
      }
      for (const id of succ.values) {
        const phi = fn.values[id]!;
        if (phi.op !== OpCode.PHI) continue;
        for (let i = 0; i < phi.args.length; i += 2) if (phi.args[i] === b) out.add(phi.args[i + 1]!);
      }
    }
    return out;
  };
  const termUses = (b: number): number[] => {
    const t = fn.blocks[b]!.term;
    if (t.kind === TermKind.BRANCH) return [t.value];
    if (t.kind === TermKind.RETURN && fn.result !== Type.UNIT) return [t.value];
    return [];
  };

  for (let changed = true; changed; ) {
    changed = false;
    for (let b = n - 1; b >= 0; b--) {
      const out = outOf(b);
      const live = new Set(out);
      for (const u of termUses(b)) live.add(u);
      const vals = fn.blocks[b]!.values;
      for (let i = vals.length - 1; i >= 0; i--) {
        const v = fn.values[vals[i]!]!;
        if (v.op !== OpCode.PHI) live.delete(v.id);
        for (const u of uses(v)) live.add(u);
      }
      if (live.size !== liveIn[b]!.size || [...live].some((x) => !liveIn[b]!.has(x))) {
        liveIn[b] = live;
        changed = true;
      }
      liveOut[b] = out;
    }
  }

  const plan = new Map<number, number>();
  // String constants are pinned by vm3_init (§10.5) and need no frame slot.
  const root = (id: number) => {
    if (cell(id) && fn.values[id]!.op !== OpCode.CONST && !plan.has(id)) plan.set(id, plan.size);
  };
  fn.blocks.forEach((block, b) => {
    const live = new Set(liveOut[b]!);
    for (const u of termUses(b)) live.add(u);
    for (let i = block.values.length - 1; i >= 0; i--) {
      const v = fn.values[block.values[i]!]!;
      live.delete(v.id);
      if (isSafepoint(v, fnIndex)) for (const x of live) root(x);
      // struct.new is struct_new (which may collect) then a struct_set per
      // field: the field Cells are used after the allocation, not by it.
      if (v.op === OpCode.STRUCT_NEW) for (const x of v.args) root(x);
      for (const u of uses(v)) live.add(u);
    }
  });
  return plan;
}
