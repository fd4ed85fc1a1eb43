// `host.call` (ir.md op 89, host.md §11.2) in the WasmGC mapping
// (wasmgc.md §9.6): each host import is a function import from module
// `host` under its name, reached through a wrapper `host.call.<name>` that
// has the IR signature. The wrapper does the module's half of host.md
// §11.3 and the JS glue (host-glue.ts) the rest:
//
// - i64, f64, bool (i32), str ((ref null vm3.String)), host (externref) and
//   typed references cross as their own Wasm types; the glue converts and
//   checks (a freed string or Host slot is STALE_HANDLE before the call).
// - an `any` argument is split into four values (ANY_KIND, i64, f64,
//   eqref), since JavaScript cannot read a box; an `any` result comes back
//   as the same four (a multi-value result) and is boxed here.
// - a typed reference result comes back as an anyref: null, or a reference
//   that `ref.test` finds of the result's type, else `vm3.host_bad_result`
//   traps HOST_ERROR — never the engine's TypeError at the boundary.
//
// Nothing is added to a program without host imports.

import type { FullType, Program } from "../ir/model.ts";
import { importResultType } from "../ir/model.ts";
import { binaryen, i64Const, refEq } from "../wasm/binaryen.ts";
import type { CellOps } from "./cell-ops.ts";
import { hostCrossing } from "./host-glue.ts";
import { ANY_KIND, HOST_BAD_RESULT_IMPORT, HOST_CALL_MODULE } from "./interface.ts";
import { installAnyParts } from "./any-parts.ts";
import { gcTypeOf, heapKind, valueType } from "./ir-types.ts";
import type { RuntimeTypes } from "./runtime-types.ts";

type Expr = binaryen.ExpressionRef;

export interface HostCalls {
  /** `host.call` of import `index` with the IR arguments; of the result's value type (none for unit). */
  call(index: number, args: Expr[]): Expr;
}

const BAD_RESULT = `vm3.${HOST_BAD_RESULT_IMPORT}`;

export function installHostCalls(module: binaryen.Module, program: Program, types: RuntimeTypes, cells: CellOps): HostCalls {
  const m = module;
  const imports = program.hostImports ?? [];
  const wrapper = (i: number) => `host.call.${imports[i]!.name}`;
  if (imports.length === 0) {
    return {
      call() {
        throw new Error("host.call of a program without host imports");
      },
    };
  }
  const i32 = binaryen.i32;
  const i64 = binaryen.i64;
  const f64 = binaryen.f64;
  const eq = binaryen.eqref;
  const anyref = binaryen.anyref;
  const anyResult = binaryen.createType([i32, i64, f64, anyref]);
  const vt = (t: FullType) => valueType(types, t);
  m.addFunctionImport(BAD_RESULT, "vm3", HOST_BAD_RESULT_IMPORT, i32, binaryen.none);
  const badResult = (i: number): Expr =>
    m.block(null, [m.call(BAD_RESULT, [m.i32.const(i)], binaryen.none), m.unreachable()], binaryen.unreachable);

  imports.forEach((h, i) => {
    const params = h.params.map(vt);
    const rt = importResultType(h);
    const crossing = hostCrossing(rt);
    const importParams: binaryen.Type[] = [];
    const importArgs: Expr[] = [];
    h.params.forEach((t, k) => {
      const x = () => m.local.get(k, params[k]!);
      if (hostCrossing(t) === "any") {
        const any = installAnyParts(m, types);
        importParams.push(i32, i64, f64, eq);
        importArgs.push(m.call(any.kind, [x()], i32), m.call(any.int, [x()], i64), m.call(any.f64, [x()], f64), x());
      } else {
        importParams.push(params[k]!);
        importArgs.push(x());
      }
    });
    const result = vt(rt);
    const importResult = crossing === "any" ? anyResult : crossing === "ref" ? anyref : result;
    const imported = `host.import.${h.name}`;
    m.addFunctionImport(imported, HOST_CALL_MODULE, h.name, binaryen.createType(importParams), importResult);
    const called = m.call(imported, importArgs, importResult);
    const local = params.length; // the one scratch local, when the result needs one
    let body: Expr;
    let vars: binaryen.Type[] = [];
    if (crossing === "ref") {
      const T = gcTypeOf(types, heapKind(rt)!);
      const r = () => m.local.get(local, anyref);
      vars = [anyref];
      body = m.block(
        null,
        [
          m.local.set(local, called),
          m.if(m.ref.is_null(r()), m.return(m.ref.null(T.refNull))),
          m.if(m.i32.eqz(m.ref.test(r(), T.ref)), badResult(i)),
          m.ref.cast(r(), T.ref),
        ],
        result,
      );
    } else if (crossing === "any") {
      const t = () => m.local.get(local, anyResult);
      const part = (n: number) => m.tuple.extract(t(), n);
      const kindIs = (k: number) => m.i32.eq(part(0), m.i32.const(k));
      vars = [anyResult, anyref];
      const r = () => m.local.get(local + 1, anyref);
      body = m.block(
        null,
        [
          m.local.set(local, called),
          m.if(kindIs(ANY_KIND.null), m.return(m.ref.null(eq))),
          // The glue has checked the 48-bit range; box.i64 would trap INT_OVERFLOW otherwise.
          m.if(kindIs(ANY_KIND.int), m.return(cells.boxI64(part(1)))),
          m.if(kindIs(ANY_KIND.f64), m.return(cells.boxF64(part(2)))),
          m.if(kindIs(ANY_KIND.bool), m.return(cells.boxBool(m.i32.wrap(part(1))))),
          m.local.set(local + 1, part(3)),
          m.if(m.i32.eqz(m.ref.test(r(), refEq)), badResult(i)),
          m.ref.cast(r(), refEq),
        ],
        eq,
      );
    } else {
      body = called;
    }
    m.addFunction(wrapper(i), binaryen.createType(params), result, vars, body);
  });

  return {
    call: (index, args) => m.call(wrapper(index), args, vt(importResultType(imports[index]!))),
  };
}
