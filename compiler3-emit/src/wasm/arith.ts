// Integer division as ir.md §8.6 defines it (Go's `/` and `%`): a zero
// divisor traps DIVIDE_BY_ZERO, and MinInt64 / -1 is MinInt64 where Wasm's
// i64.div_s would trap. (i64.rem_s already gives MinInt64 % -1 = 0.)

import { binaryen, i64Const } from "./binaryen.ts";
import { TrapCode, addTrapImport, emitTrap, trapIf } from "./trap.ts";

export interface DivOps {
  div(a: binaryen.ExpressionRef, b: binaryen.ExpressionRef): binaryen.ExpressionRef;
  mod(a: binaryen.ExpressionRef, b: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** a / k for an immediate k (ir.md op 13): no run-time test of k. */
  divImm(a: binaryen.ExpressionRef, k: bigint): binaryen.ExpressionRef;
  /** a % k for an immediate k (op 14). */
  modImm(a: binaryen.ExpressionRef, k: bigint): binaryen.ExpressionRef;
}

export function installDivOps(module: binaryen.Module): DivOps {
  addTrapImport(module);
  const m = module;
  const i64 = binaryen.i64;
  const p = (i: number) => m.local.get(i, i64);
  const params = binaryen.createType([i64, i64]);
  const zero = trapIf(m, m.i64.eqz(p(1)), TrapCode.DIVIDE_BY_ZERO);
  m.addFunction(
    "vm3.div_i64",
    params,
    i64,
    [],
    m.block(null, [zero, m.if(m.i64.eq(p(1), i64Const(m, -1n)), m.return(m.i64.sub(i64Const(m, 0n), p(0)))), m.i64.div_s(p(0), p(1))], i64),
  );
  m.addFunction("vm3.mod_i64", params, i64, [], m.block(null, [trapIf(m, m.i64.eqz(p(1)), TrapCode.DIVIDE_BY_ZERO), m.i64.rem_s(p(0), p(1))], i64));
  return {
    div: (a, b) => m.call("vm3.div_i64", [a, b], i64),
    mod: (a, b) => m.call("vm3.mod_i64", [a, b], i64),
    divImm(a, k) {
      if (k === 0n) return m.block(null, [m.drop(a), emitTrap(m, TrapCode.DIVIDE_BY_ZERO)], binaryen.unreachable);
      if (k === -1n) return m.i64.sub(i64Const(m, 0n), a);
      return m.i64.div_s(a, i64Const(m, k));
    },
    modImm(a, k) {
      if (k === 0n) return m.block(null, [m.drop(a), emitTrap(m, TrapCode.DIVIDE_BY_ZERO)], binaryen.unreachable);
      return m.i64.rem_s(a, i64Const(m, k));
    },
  };
}
