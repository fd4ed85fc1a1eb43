// The control-flow graph of a function (ir.md §8.7): successors come from the
// terminator, predecessors are derived (ascending block ID, one per edge), and
// dominators are computed with Cooper, Harvey & Kennedy's iterative algorithm
// ("A Simple, Fast Dominance Algorithm", 2001) for the dominance rule (§8.11
// rule 16). The parser uses computeCfg to fill preds/succs, which the text
// form does not write; the validator compares stored preds/succs against it.
import type { Func, Terminator } from "./model.ts";
import { TermKind } from "./model.ts";

/** A terminator's targets in order (jump: target; branch: if_true, if_false). */
export function termTargets(t: Terminator): number[] {
  switch (t.kind) {
    case TermKind.JUMP:
      return [t.target];
    case TermKind.BRANCH:
      return [t.ifTrue, t.ifFalse];
    default:
      return [];
  }
}

/** preds[b] per §8.7: blocks whose terminators target b, ascending, one per edge. */
export function predecessors(f: Func): number[][] {
  const preds: number[][] = f.blocks.map(() => []);
  for (const b of f.blocks) {
    for (const s of termTargets(b.term)) preds[s]?.push(b.id);
  }
  return preds;
}

/** Sets every block's `succs` and `preds` from the terminators. */
export function computeCfg(f: Func): void {
  const preds = predecessors(f);
  f.blocks.forEach((b, i) => {
    b.succs = termTargets(b.term);
    b.preds = preds[i] ?? [];
  });
}

/** Immediate dominators from block 0; `idom[b]` is undefined when b is unreachable, idom[0] = 0. */
export interface Dominators {
  idom: (number | undefined)[];
  /** True when a dominates b (reflexive); false when b is unreachable. */
  dominates(a: number, b: number): boolean;
  reachable(b: number): boolean;
}

export function dominators(f: Func): Dominators {
  const n = f.blocks.length;
  const succs = f.blocks.map((b) => termTargets(b.term).filter((s) => s < n));
  // Reverse postorder from block 0 (iterative DFS).
  const order: number[] = [];
  const seen = new Array<boolean>(n).fill(false);
  if (n > 0) {
    const stack: Array<[number, number]> = [[0, 0]];
    seen[0] = true;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [b, k] = top;
      const ss = succs[b]!;
      if (k < ss.length) {
        top[1] = k + 1;
        const s = ss[k]!;
        if (!seen[s]) {
          seen[s] = true;
          stack.push([s, 0]);
        }
      } else {
        stack.pop();
        order.push(b);
      }
    }
  }
  order.reverse();
  const rpo = new Array<number>(n).fill(-1);
  order.forEach((b, i) => (rpo[b] = i));
  const preds: number[][] = f.blocks.map(() => []);
  succs.forEach((ss, b) => {
    if (rpo[b]! >= 0) for (const s of ss) preds[s]!.push(b);
  });
  const idom: (number | undefined)[] = new Array<number | undefined>(n).fill(undefined);
  if (n > 0) idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rpo[a]! > rpo[b]!) a = idom[a]!;
      while (rpo[b]! > rpo[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of order) {
      if (b === 0) continue;
      let d: number | undefined;
      for (const p of preds[b]!) {
        if (idom[p] === undefined) continue;
        d = d === undefined ? p : intersect(p, d);
      }
      if (d !== undefined && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  const reachable = (b: number): boolean => idom[b] !== undefined;
  return {
    idom,
    reachable,
    dominates(a, b) {
      if (!reachable(b) || !reachable(a)) return false;
      for (let x = b; ; x = idom[x]!) {
        if (x === a) return true;
        if (x === 0) return false;
      }
    },
  };
}
