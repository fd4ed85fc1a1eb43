// The scalar ops of ir.md §8.5 — i64, f64 and bool arithmetic, comparisons
// and conversions — as core Wasm, the same on both targets (i64 and f64 are
// unboxed locals, bool an i32 0/1, §8.6). `undefined` for every other op:
// the target translates those.

import type { Value } from "../ir/model.ts";
import { OpCode, Type } from "../ir/model.ts";
import type { DivOps } from "./arith.ts";
import { binaryen, i64Const } from "./binaryen.ts";

type Expr = binaryen.ExpressionRef;

export interface ScalarEnv {
  readonly module: binaryen.Module;
  readonly div: DivOps;
  /** fma.f64 with one rounding, as the target computes it. */
  fma(a: Expr, b: Expr, c: Expr): Expr;
  /** Operand i's local. */
  arg(i: number): Expr;
}

const scratch = new DataView(new ArrayBuffer(8));
/** The double with IEEE bit pattern `bits` (a CONST f64's `const`, ir.md §8.4). */
export function f64FromBits(bits: bigint): number {
  scratch.setBigInt64(0, bits);
  return scratch.getFloat64(0);
}

export function translateScalar(s: ScalarEnv, v: Value): Expr | undefined {
  const m = s.module;
  const a = () => s.arg(0);
  const b = () => s.arg(1);
  const k = v.const;
  const kk = () => i64Const(m, k);
  switch (v.op) {
    case OpCode.CONST:
      if (v.type === Type.I64) return kk();
      if (v.type === Type.F64) return m.f64.const(f64FromBits(k));
      if (v.type === Type.BOOL) return m.i32.const(Number(k));
      return undefined;
    case OpCode.ADD_I64: return m.i64.add(a(), b());
    case OpCode.SUB_I64: return m.i64.sub(a(), b());
    case OpCode.MUL_I64: return m.i64.mul(a(), b());
    case OpCode.DIV_I64: return s.div.div(a(), b());
    case OpCode.MOD_I64: return s.div.mod(a(), b());
    case OpCode.NEG_I64: return m.i64.sub(i64Const(m, 0n), a());
    case OpCode.ADD_I64_IMM: return m.i64.add(a(), kk());
    case OpCode.SUB_I64_IMM: return m.i64.sub(a(), kk());
    case OpCode.MUL_I64_IMM: return m.i64.mul(a(), kk());
    case OpCode.DIV_I64_IMM: return s.div.divImm(a(), k);
    case OpCode.MOD_I64_IMM: return s.div.modImm(a(), k);
    case OpCode.ADD_F64: return m.f64.add(a(), b());
    case OpCode.SUB_F64: return m.f64.sub(a(), b());
    case OpCode.MUL_F64: return m.f64.mul(a(), b());
    case OpCode.DIV_F64: return m.f64.div(a(), b());
    case OpCode.NEG_F64: return m.f64.neg(a());
    case OpCode.CMP_EQ_I64: return m.i64.eq(a(), b());
    case OpCode.CMP_NE_I64: return m.i64.ne(a(), b());
    case OpCode.CMP_LT_I64: return m.i64.lt_s(a(), b());
    case OpCode.CMP_LE_I64: return m.i64.le_s(a(), b());
    case OpCode.CMP_GT_I64: return m.i64.gt_s(a(), b());
    case OpCode.CMP_GE_I64: return m.i64.ge_s(a(), b());
    case OpCode.CMP_EQ_I64_IMM: return m.i64.eq(a(), kk());
    case OpCode.CMP_NE_I64_IMM: return m.i64.ne(a(), kk());
    case OpCode.CMP_LT_I64_IMM: return m.i64.lt_s(a(), kk());
    case OpCode.CMP_LE_I64_IMM: return m.i64.le_s(a(), kk());
    case OpCode.CMP_GT_I64_IMM: return m.i64.gt_s(a(), kk());
    case OpCode.CMP_GE_I64_IMM: return m.i64.ge_s(a(), kk());
    case OpCode.CMP_EQ_F64: return m.f64.eq(a(), b());
    case OpCode.CMP_NE_F64: return m.f64.ne(a(), b());
    case OpCode.CMP_LT_F64: return m.f64.lt(a(), b());
    case OpCode.CMP_LE_F64: return m.f64.le(a(), b());
    case OpCode.CMP_GT_F64: return m.f64.gt(a(), b());
    case OpCode.CMP_GE_F64: return m.f64.ge(a(), b());
    case OpCode.I64_TO_F64: return m.f64.convert_s.i64(a());
    case OpCode.F64_TO_I64: return m.i64.trunc_s_sat.f64(a());
    case OpCode.SQRT_F64: return m.f64.sqrt(a());
    case OpCode.FMA_F64: return s.fma(a(), b(), s.arg(2));
    case OpCode.NOT_BOOL: return m.i32.eqz(a());
    case OpCode.AND_BOOL: return m.i32.and(a(), b());
    case OpCode.OR_BOOL: return m.i32.or(a(), b());
    case OpCode.CMP_EQ_BOOL: return m.i32.eq(a(), b());
    case OpCode.CMP_NE_BOOL: return m.i32.ne(a(), b());
    default: return undefined;
  }
}
