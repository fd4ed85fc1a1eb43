// Reading an `any` (an eqref: null, an i31, a box, or a heap object) from
// JavaScript, which cannot look inside a GC object (wasmgc.md §9.6): three
// functions split it into (ANY_KIND, i64, f64) — the host-call wrappers
// (host-calls.ts) pass an `any` argument as those plus the reference — and,
// for the bindings (bindings.md §2), a fourth names a reference's heap type.
// Each is added once per module, on first use.

import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { ANY_KIND, BINDING_EXPORTS, REF_KIND } from "./interface.ts";
import type { RuntimeTypes } from "./runtime-types.ts";

export interface AnyParts {
  readonly kind: string;
  readonly int: string;
  readonly f64: string;
}

const KIND_FN = "vm3.host.any_kind";
const INT_FN = "vm3.host.any_int";
const F64_FN = "vm3.host.any_f64";

const installed = new WeakMap<binaryen.Module, AnyParts>();

/** The three readers' function names, adding them to `m` the first time. */
export function installAnyParts(m: binaryen.Module, types: RuntimeTypes): AnyParts {
  const done = installed.get(m);
  if (done !== undefined) return done;
  const eq = binaryen.eqref;
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const f64 = binaryen.f64;
  const x = () => m.local.get(0, eq);
  const is = (t: binaryen.Type) => m.ref.test(x(), t);
  const field = (t: binaryen.Type, type: binaryen.Type) => m.struct.get(0, m.ref.cast(x(), t), type, false);
  const c = (k: number) => m.i32.const(k);
  // kind: null, int (i31 or I64Box), f64, bool, else a reference (heap object or HostBox).
  m.addFunction(
    KIND_FN,
    eq,
    i32,
    [],
    m.if(
      m.ref.is_null(x()),
      c(ANY_KIND.null),
      m.if(
        m.i32.or(is(types.i31.ref), is(types.i64Box.ref)),
        c(ANY_KIND.int),
        m.if(is(types.f64Box.ref), c(ANY_KIND.f64), m.if(is(types.boolBox.ref), c(ANY_KIND.bool), c(ANY_KIND.ref))),
      ),
    ),
  );
  m.addFunction(
    INT_FN,
    eq,
    i64,
    [],
    m.if(
      is(types.i31.ref),
      m.i64.extend_s(m.i31.get_s(m.ref.cast(x(), types.i31.ref))),
      m.if(
        is(types.i64Box.ref),
        field(types.i64Box.ref, i64),
        m.if(is(types.boolBox.ref), m.i64.extend_u(field(types.boolBox.ref, i32)), i64Const(m, 0n)),
      ),
    ),
  );
  m.addFunction(F64_FN, eq, f64, [], m.if(is(types.f64Box.ref), field(types.f64Box.ref, f64), m.f64.const(0)));
  const parts = { kind: KIND_FN, int: INT_FN, f64: F64_FN };
  installed.set(m, parts);
  return parts;
}

/**
 * The bindings' readers, exported (BINDING_EXPORTS): the three above and
 * `ref_kind`, which names the heap type of an `any` of kind REF as a
 * REF_KIND (a struct of shape k is REF_KIND.shape + k).
 */
export function exportAnyReaders(m: binaryen.Module, types: RuntimeTypes): void {
  const parts = installAnyParts(m, types);
  const eq = binaryen.eqref;
  const x = () => m.local.get(0, eq);
  const tests: [binaryen.Type, number][] = [
    [types.string.ref, REF_KIND.str],
    [types.i64List.list.ref, REF_KIND.li64],
    [types.cellList.list.ref, REF_KIND.lany],
    [types.f64List.list.ref, REF_KIND.f64arr],
    [types.mapI64.ref, REF_KIND.map],
    [types.hostBox.ref, REF_KIND.host],
    ...types.shapes.map((s, k): [binaryen.Type, number] => [s.ref, REF_KIND.shape + k]),
  ];
  let body = m.i32.const(REF_KIND.other);
  for (const [t, k] of tests.reverse()) body = m.if(m.ref.test(x(), t), m.i32.const(k), body);
  m.addFunction(BINDING_EXPORTS.refKind, eq, binaryen.i32, [], body);
  m.addFunctionExport(parts.kind, BINDING_EXPORTS.anyKind);
  m.addFunctionExport(parts.int, BINDING_EXPORTS.anyInt);
  m.addFunctionExport(parts.f64, BINDING_EXPORTS.anyF64);
  m.addFunctionExport(BINDING_EXPORTS.refKind, BINDING_EXPORTS.refKind);
}
