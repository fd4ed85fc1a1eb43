// ir.md §8.11 rule 16 (§8.7 Dominance): a non-phi operand is defined earlier
// in its block or in a strictly dominating block; a terminator operand is used
// at the end of its block; a phi's src for pred is defined in a block that
// dominates pred. Only blocks reachable from block 0 are checked.
import { OpCode, TermKind, Type } from "./model.ts";
import { dominators } from "./cfg.ts";
import type { Context, FuncFacts } from "./validate-context.ts";

export function checkDominance(cx: Context, facts: FuncFacts): void {
  const { fi, f, owner, index } = facts;
  const dom = dominators(f);
  const available = (id: number, block: number, at: number): boolean => {
    const o = owner[id];
    if (o === undefined) return false;
    if (o === block) return (index[id] ?? Infinity) < at;
    return dom.dominates(o, block);
  };
  const where = (id: number): string => {
    const o = owner[id];
    return o === undefined ? "" : ` (defined in b${o})`;
  };
  f.blocks.forEach((b, bi) => {
    if (!dom.reachable(bi)) return;
    b.values.forEach((id, k) => {
      const v = f.values[id];
      if (v === undefined) return;
      if (v.op === OpCode.PHI) {
        for (let j = 0; j + 1 < v.args.length; j += 2) {
          const pred = v.args[j]!;
          const src = v.args[j + 1]!;
          if (!dom.reachable(pred)) continue;
          const o = owner[src];
          if (o === undefined || !dom.dominates(o, pred)) {
            cx.error(16, fi, bi, id, `phi src v${src}${where(src)} does not dominate predecessor b${pred}`);
          }
        }
        return;
      }
      v.args.forEach((a, j) => {
        if (!available(a, bi, k)) cx.error(16, fi, bi, id, `arg ${j} v${a}${where(a)} is not defined before this use`);
      });
    });
    const t = b.term;
    // A unit function's `return` has value 0, which is ignored (§8.7).
    const unitReturn = t.kind === TermKind.RETURN && f.result === Type.UNIT && t.value === 0;
    if (t.kind === TermKind.BRANCH || (t.kind === TermKind.RETURN && !unitReturn)) {
      if (!available(t.value, bi, Infinity)) {
        cx.error(16, fi, bi, undefined, `terminator operand v${t.value}${where(t.value)} is not defined before the end of b${bi}`, "term");
      }
    }
  });
}
