// Host values (ir.md §8.5 ops 87–88, the Host arena 13): in the WasmGC
// mapping a typed `host` is an `externref` (DESIGN.md §6) and the host table
// is the JS side's. Each Host object is a JS `HostSlot` created by the
// `vm3.host_new` import, which also keeps its freed mark: `free` of a host
// value and every later use go through the JS side (run.ts), the only place
// an externref's identity can carry state.

import { binaryen } from "../wasm/binaryen.ts";
import { HOST_IMPORTS } from "./interface.ts";
import type { RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, trapIf } from "../wasm/trap.ts";

export { HOST_IMPORTS };

export interface HostOps {
  /** (ref String) → externref; the caller has checked the string. */
  hostNew(s: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** externref → (ref String): NULL_DEREF; the host traps STALE_HANDLE / WRONG_TYPE. */
  hostStr(h: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** externref (non-null) → none: the host traps STALE_HANDLE when already freed. */
  hostFree(h: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** externref (non-null) → i32: 1 while not freed. */
  hostLive(h: binaryen.ExpressionRef): binaryen.ExpressionRef;
}

export function installHostOps(module: binaryen.Module, types: RuntimeTypes): HostOps {
  addTrapImport(module);
  const m = module;
  const ext = binaryen.externref;
  const S = types.string;
  const imp = (name: keyof typeof HOST_IMPORTS, params: binaryen.Type, result: binaryen.Type): string => {
    const internal = `vm3.${HOST_IMPORTS[name]}`;
    if (m.getFunction(internal) === 0) m.addFunctionImport(internal, "vm3", HOST_IMPORTS[name], params, result);
    return internal;
  };
  const newFn = imp("new", S.ref, ext);
  const strImport = imp("str", ext, S.ref);
  const freeFn = imp("free", ext, binaryen.none);
  const liveFn = imp("live", ext, binaryen.i32);
  m.addFunction(
    "vm3.host_str_checked",
    ext,
    S.ref,
    [],
    m.block(null, [trapIf(m, m.ref.is_null(m.local.get(0, ext)), TrapCode.NULL_DEREF), m.call(strImport, [m.local.get(0, ext)], S.ref)], S.ref),
  );
  return {
    hostNew: (s) => m.call(newFn, [s], ext),
    hostStr: (h) => m.call("vm3.host_str_checked", [h], S.ref),
    hostFree: (h) => m.call(freeFn, [h], binaryen.none),
    hostLive: (h) => m.call(liveFn, [h], binaryen.i32),
  };
}
