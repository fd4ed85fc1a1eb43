// The one place that loads binaryen.js and fixes the feature set every
// compiler3-emit WasmGC module is built with.

import binaryen from "binaryen";

export { binaryen };

/**
 * Features of an emitted WasmGC module: GC needs reference types; the rest
 * are what Node 24's V8 ships and binaryen's optimiser likes to use (sign
 * extension, non-trapping float→int, bulk memory for array.copy/fill,
 * multivalue for tuple locals the optimiser may introduce).
 */
export const WASMGC_FEATURES: binaryen.Features =
  binaryen.Features.GC |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.Multivalue;

/** A fresh module with the WasmGC feature set. The caller disposes it. */
export function newWasmGcModule(): binaryen.Module {
  const module = new binaryen.Module();
  module.setFeatures(WASMGC_FEATURES);
  return module;
}

/**
 * An `i64.const` from a bigint. (binaryen 132 takes one bigint; its index.d.ts
 * still also declares the old `(low, high)` form, which aborts at run time.)
 */
export function i64Const(module: binaryen.Module, value: bigint): binaryen.ExpressionRef {
  return module.i64.const(BigInt.asIntN(64, value));
}

/**
 * The abstract heap types. binaryen.js 132 declares `binaryen.eq`, `.i31`,
 * `.any`, … in index.d.ts but leaves them undefined at run time; the C API's
 * `_BinaryenHeapType*` functions, exported on the same object, give them.
 */
const capi = binaryen as unknown as Record<string, () => number>;
const heapType = (name: string): binaryen.HeapType => {
  const f = capi[`_BinaryenHeapType${name}`];
  if (typeof f !== "function") throw new Error(`binaryen.js has no _BinaryenHeapType${name}`);
  return f();
};
export const HeapTypes = {
  any: heapType("Any"),
  eq: heapType("Eq"),
  i31: heapType("I31"),
  struct: heapType("Struct"),
  array: heapType("Array"),
  none: heapType("None"),
  ext: heapType("Ext"),
  noext: heapType("Noext"),
  func: heapType("Func"),
} as const;

/** `(ref eq)`: a non-null Cell, what the boxing operations return. */
export const refEq: binaryen.Type = binaryen.getTypeFromHeapType(HeapTypes.eq, false);
/** `(ref i31)`. */
export const refI31: binaryen.Type = binaryen.getTypeFromHeapType(HeapTypes.i31, false);
