// `fma.f64` through the engine's fused multiply-add when it has one.
//
// Core Wasm has no fma; relaxed SIMD's `f64x2.relaxed_madd` is either fused
// (one rounding) or a multiply then an add, as the engine and processor
// choose, and the choice is fixed for the engine on that machine (V8 emits
// vfmadd on x64 processors with FMA3 in both of its compilers, and mul+add
// otherwise). So a host can find out which it got: run.ts calls the exported
// probe on inputs where the two differ and compares with the exact fma; only
// when every probe is exact does it switch the module to the fused path.
// Until then, and on any engine that does not fuse, `fma.f64` is fma.ts's
// exact emulation (ir.md §8.6: correctly rounded, bit for bit).

import { binaryen } from "../wasm/binaryen.ts";
import { FUSED_MADD_EXPORTS } from "./interface.ts";

export { FUSED_MADD_EXPORTS, MADD_PROBES } from "./interface.ts";

type Expr = binaryen.ExpressionRef;

/** Exports through which the host probes and enables the fused path (run.ts). */

const FLAG = "vm3.fused_madd";


/** The call builder `fma(a, b, c)`: the fused madd when enabled, else `exact`. */
export function installFusedMadd(module: binaryen.Module, exact: (a: Expr, b: Expr, c: Expr) => Expr): (a: Expr, b: Expr, c: Expr) => Expr {
  const m = module;
  const f64 = binaryen.f64;
  m.setFeatures(m.getFeatures() | binaryen.Features.SIMD128 | binaryen.Features.RelaxedSIMD);
  const capi = binaryen as unknown as {
    _BinaryenSIMDTernary(module: number, op: number, a: Expr, b: Expr, c: Expr): Expr;
    RelaxedMaddVecF64x2: number;
  };
  const ptr = (m as unknown as { ptr: number }).ptr;
  const madd = (a: Expr, b: Expr, c: Expr): Expr =>
    m.f64x2.extract_lane(
      capi._BinaryenSIMDTernary(ptr, capi.RelaxedMaddVecF64x2, m.f64x2.splat(a), m.f64x2.splat(b), m.f64x2.splat(c)),
      0 as unknown as Expr,
    );
  const p = (i: number) => m.local.get(i, f64);
  const f64x3 = binaryen.createType([f64, f64, f64]);
  m.addGlobal(FLAG, binaryen.i32, true, m.i32.const(0));
  m.addFunction(FUSED_MADD_EXPORTS.probe, f64x3, f64, [], madd(p(0), p(1), p(2)));
  m.addFunction(FUSED_MADD_EXPORTS.enable, binaryen.none, binaryen.none, [], m.global.set(FLAG, m.i32.const(1)));
  m.addFunction("vm3.fma", f64x3, f64, [], m.if(m.global.get(FLAG, binaryen.i32), madd(p(0), p(1), p(2)), exact(p(0), p(1), p(2))));
  for (const name of Object.values(FUSED_MADD_EXPORTS)) m.addFunctionExport(name, name);
  return (a, b, c) => m.call("vm3.fma", [a, b, c], f64);
}
