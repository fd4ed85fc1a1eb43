// compiler3 IR → a WasmGC module (DESIGN.md §6, vm3-spec/wasmgc.md).
//
// The module has: the type lattice of runtime-types.ts in one rec group; the
// runtime operations (cell-ops, list-ops, map-ops, string-ops, host-ops,
// lifetime, arith, fma) and a wrapper per host import (host-calls.ts),
// each a small function binaryen's -O may inline; one global per string
// constant (ir.md §8.10: created with the instance, so a
// fresh instance is a fresh run; a long one is filled by the start function,
// string-ops.ts); one function per IR function; an export per function that
// an embedder can call as an entry (all parameters i64, result
// i64/f64/bool/str/unit: §8.9), under its IR name.
//
// Every module is validated by binaryen before it is returned: a module that
// fails is a compiler bug, reported with the program's name and binaryen's
// reasons, never a silently bad .wasm.

import type { Program } from "../ir/model.ts";
import { isEntryShaped } from "../ir/entry.ts";
import { OpCode } from "../ir/model.ts";
import { printText } from "../ir/text-printer.ts";
import { installDivOps } from "../wasm/arith.ts";
import { binaryen, newWasmGcModule } from "../wasm/binaryen.ts";
import { exportAnyReaders } from "./any-parts.ts";
import { installCellOps } from "./cell-ops.ts";
import type { EmitContext } from "./context.ts";
import { FMA_FUNCTION, installFma } from "../wasm/fma.ts";
import { emitFunction, type FunctionTarget } from "../wasm/function.ts";
import { binaryenFailure, largeFunctions, optimizeModule } from "../wasm/optimize.ts";
import { keepTailCallInterrupts } from "../wasm/tail-interrupts.ts";
import { installFusedMadd } from "./fused-madd.ts";
import { installHostCalls } from "./host-calls.ts";
import { installHostOps } from "./host-ops.ts";
import { shapeDescs, valueType } from "./ir-types.ts";
import { installLifetime } from "./lifetime.ts";
import { installListOps } from "./list-ops.ts";
import { installMapOps } from "./map-ops.ts";
import { buildRuntimeTypes } from "./runtime-types.ts";
import { installStringOps } from "./string-ops.ts";
import { translateValue } from "./values.ts";

export interface EmitOptions {
  /** Run binaryen's optimiser (-O2, with inlining of the runtime functions). */
  optimize?: boolean;
  /**
   * Export every function under its IR name, not only those that can be an
   * entry, and the `any` readers (any-parts.ts): the module of a bound
   * program (bindings.md §2).
   */
  exportAll?: boolean;
}

/** A program the WasmGC target cannot compile, or a module binaryen rejects (a compiler bug). */
export class EmitError extends Error {
  override name = "EmitError";
}

/** Internal names; the export of an entry function is its IR name. */
const fnName = (i: number, name: string) => `f${i}.${name}`;

/** Inlining limits for -O: the runtime helpers are small and called in hot loops. */
const INLINE = { always: 20, flexible: 80, oneCaller: 200 } as const;

/** The module as binary Wasm. */
export function emitWasmGc(program: Program, options: EmitOptions = {}): Uint8Array {
  const m = emitWasmGcModule(program, options);
  try {
    return m.emitBinary();
  } catch (e) {
    throw new EmitError(binaryenFailure(`writing the module for entry ${program.entry}`, e, program.functions));
  } finally {
    m.dispose();
  }
}

/** The validated (and with `optimize`, optimised) binaryen module; the caller disposes it. */
export function emitWasmGcModule(program: Program, options: EmitOptions = {}): binaryen.Module {
  const m = newWasmGcModule();
  try {
    m.setFeatures(m.getFeatures() | binaryen.Features.TailCall);
    const hasFree = program.functions.some((f) => f.values.some((v) => v.op === OpCode.FREE));
    const types = buildRuntimeTypes(m, shapeDescs(program), { freedFlag: hasFree });
    const host = installHostOps(m, types);
    const strings = installStringOps(m, types);
    const cells = installCellOps(m, types);
    const cx: EmitContext = {
      module: m,
      program,
      types,
      cells,
      i64List: installListOps(m, types, types.i64List),
      cellList: installListOps(m, types, types.cellList),
      f64List: installListOps(m, types, types.f64List),
      maps: installMapOps(m, types),
      strings,
      host,
      hostCalls: installHostCalls(m, program, types, cells),
      lifetime: installLifetime(m, types, host, hasFree),
      fma: installFusedMadd(m, installFma(m)),
      div: installDivOps(m),
      functionName: (i) => fnName(i, program.functions[i]!.name),
      stringGlobal: (f, i) => `str.${f}.${i}`,
    };
    const encoder = new TextEncoder();
    program.functions.forEach((f, fi) => {
      f.strings.forEach((s, si) => strings.addConstant(cx.stringGlobal(fi, si), encoder.encode(s)));
    });
    strings.finishConstants();
    const target: FunctionTarget = {
      module: m,
      valueType: (t) => valueType(types, t),
      functionName: cx.functionName,
      translateValue: (env, v) => translateValue(cx, env, v),
      returnCall: true,
    };
    program.functions.forEach((f, i) => {
      try {
        emitFunction(target, f, i);
      } catch (e) {
        throw new EmitError((e as Error).message);
      }
      if (options.exportAll || isEntryShaped(program, i)) m.addFunctionExport(cx.functionName(i), f.name);
    });
    if (options.exportAll) exportAnyReaders(m, types);
    if (!m.validate()) {
      throw new EmitError(
        `the emitted module for entry ${program.entry} fails binaryen validation (reasons above on stderr): a compiler bug; the IR that caused it:\n${printText(program)}`,
      );
    }
    if (options.optimize) {
      // -O2 with the inlining limits raised; the exact fma's emulation is long
      // and rarely taken once the fused path is on (fused-madd.ts): inlined
      // into a hot loop it costs registers. Large functions: optimize.ts.
      try {
        optimizeModule(m, { level: 2, shrink: 0, inline: INLINE, noInline: FMA_FUNCTION, large: largeFunctions(program.functions, cx.functionName) });
      } catch (e) {
        throw new EmitError(binaryenFailure(`binaryen -O on the module for entry ${program.entry}`, e, program.functions));
      }
      if (!m.validate()) throw new EmitError(`binaryen -O produced an invalid module for entry ${program.entry}`);
    }
    // After the optimiser, which would delete them: the loops that give a
    // cycle of return_calls an interrupt check (tail-interrupts.ts).
    keepTailCallInterrupts(m, program);
    return m;
  } catch (e) {
    m.dispose();
    throw e;
  }
}
