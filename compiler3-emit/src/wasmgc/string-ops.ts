// Strings: vm3.String = struct { len: mut i32, bytes: mut (ref vm3.U8Array) }
// of UTF-8 bytes (ir.md §8.5 ops 32–35, §8.10). Immutable to the IR; `len` is
// mutable only so that `free` can mark a string freed (len -1, free-ops.ts).
//
// Besides the IR's operations this installs four exported functions through
// which the JS host reads and builds strings (a WasmGC array is opaque to
// JavaScript): the result of a `str` entry, `host.new`, `host.str`.

import { binaryen } from "../wasm/binaryen.ts";
import { STRING_EXPORTS } from "./interface.ts";
import type { RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, trapIf } from "../wasm/trap.ts";
import { MAX_STR_BYTES } from "../../../ts-runtime/src/string-arena.ts";

export { STRING_EXPORTS };

const LEN = 0;
const BYTES = 1;

/**
 * The longest constant built by `array.new_fixed` (one `i32.const` operand a
 * byte) in its global's initializer: V8 rejects `array.new_fixed` with more
 * than 10,000 operands. A longer constant's bytes are a passive data segment
 * that the module's start function copies with `array.new_data` (not a
 * constant expression, so it cannot be in an initializer): wasmgc.md §9.6.
 */
export const MAX_FIXED = 10_000;

/** The start function that creates the constants longer than MAX_FIXED. */
export const STRING_INIT = "vm3.init_strings";

export interface StringOps {
  /**
   * Adds global `name` holding a string constant with `bytes` (ir.md §8.10):
   * created when the module is instantiated, before any export can run.
   */
  addConstant(name: string, bytes: Uint8Array): void;
  /** Adds the data segments and start function of the long constants; once, after the last addConstant. */
  finishConstants(): void;
  /** (ref null String) → i64 byte length; NULL_DEREF. */
  len(s: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** a ‖ b; NULL_DEREF for either (a first). */
  concat(a: binaryen.ExpressionRef, b: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** bytewise equality as i32; NULL_DEREF for either (a first). */
  equal(a: binaryen.ExpressionRef, b: binaryen.ExpressionRef): binaryen.ExpressionRef;
}

export function installStringOps(module: binaryen.Module, types: RuntimeTypes): StringOps {
  addTrapImport(module);
  const m = module;
  const S = types.string;
  const A = types.u8Array;
  const { i32, i64 } = binaryen;
  const p = (i: number, t: binaryen.Type) => m.local.get(i, t);
  const lenOf = (s: binaryen.ExpressionRef) => m.struct.get(LEN, s, i32, false);
  const bytesOf = (s: binaryen.ExpressionRef) => m.struct.get(BYTES, s, A.ref, false);
  const nullCheck = (s: binaryen.ExpressionRef) => trapIf(m, m.ref.is_null(s), TrapCode.NULL_DEREF);

  m.addFunction("vm3.str_length", S.refNull, i64, [], m.block(null, [nullCheck(p(0, S.refNull)), m.i64.extend_u(lenOf(p(0, S.refNull)))], i64));

  // concat(a, b); locals: 2 la, 3 lb, 4 bytes
  m.addFunction(
    "vm3.str_concat",
    binaryen.createType([S.refNull, S.refNull]),
    S.ref,
    [i32, i32, A.ref],
    m.block(
      null,
      [
        nullCheck(p(0, S.refNull)),
        nullCheck(p(1, S.refNull)),
        m.local.set(2, lenOf(p(0, S.refNull))),
        m.local.set(3, lenOf(p(1, S.refNull))),
        // operations.md §3.1: a result past MAX_STR_BYTES is OUT_OF_MEMORY on every
        // backend (its text could not become a JS string), summed in i64 so it cannot wrap.
        trapIf(m, m.i64.gt_u(m.i64.add(m.i64.extend_u(p(2, i32)), m.i64.extend_u(p(3, i32))), m.i64.const(BigInt(MAX_STR_BYTES))), TrapCode.OUT_OF_MEMORY),
        m.local.set(4, m.array.new_default(A.heap, m.i32.add(p(2, i32), p(3, i32)))),
        m.array.copy(p(4, A.ref), m.i32.const(0), bytesOf(p(0, S.refNull)), m.i32.const(0), p(2, i32)),
        m.array.copy(p(4, A.ref), p(2, i32), bytesOf(p(1, S.refNull)), m.i32.const(0), p(3, i32)),
        m.struct.new([m.i32.add(p(2, i32), p(3, i32)), p(4, A.ref)], S.heap),
      ],
      S.ref,
    ),
  );

  // equal(a, b) -> i32; locals: 2 n, 3 i, 4 bytes a, 5 bytes b
  m.addFunction(
    "vm3.str_equal",
    binaryen.createType([S.refNull, S.refNull]),
    i32,
    [i32, i32, A.ref, A.ref],
    m.block(
      null,
      [
        nullCheck(p(0, S.refNull)),
        nullCheck(p(1, S.refNull)),
        m.local.set(2, lenOf(p(0, S.refNull))),
        m.if(m.i32.ne(p(2, i32), lenOf(p(1, S.refNull))), m.return(m.i32.const(0))),
        m.local.set(4, bytesOf(p(0, S.refNull))),
        m.local.set(5, bytesOf(p(1, S.refNull))),
        m.local.set(3, m.i32.const(0)),
        m.loop(
          "next",
          m.if(
            m.i32.lt_u(p(3, i32), p(2, i32)),
            m.block(null, [
              m.if(
                m.i32.ne(m.array.get(p(4, A.ref), p(3, i32), i32, false), m.array.get(p(5, A.ref), p(3, i32), i32, false)),
                m.return(m.i32.const(0)),
              ),
              m.local.set(3, m.i32.add(p(3, i32), m.i32.const(1))),
              m.br("next"),
            ]),
          ),
        ),
        m.i32.const(1),
      ],
      i32,
    ),
  );

  // Host accessors (run.ts): len and byte of a live string, allocate and fill one.
  m.addFunction(STRING_EXPORTS.len, S.ref, i32, [], lenOf(p(0, S.ref)));
  m.addFunction(
    STRING_EXPORTS.byte,
    binaryen.createType([S.ref, i32]),
    i32,
    [],
    m.array.get(bytesOf(p(0, S.ref)), p(1, i32), i32, false),
  );
  m.addFunction(STRING_EXPORTS.alloc, i32, S.ref, [], m.struct.new([p(0, i32), m.array.new_default(A.heap, p(0, i32))], S.heap));
  m.addFunction(
    STRING_EXPORTS.setByte,
    binaryen.createType([S.ref, i32, i32]),
    binaryen.none,
    [],
    m.array.set(bytesOf(p(0, S.ref)), p(1, i32), p(2, i32)),
  );
  for (const name of Object.values(STRING_EXPORTS)) m.addFunctionExport(name, name);

  const segments: { name: string; data: Uint8Array }[] = [];
  const starts: binaryen.ExpressionRef[] = [];
  return {
    addConstant(name, bytes) {
      if (bytes.length <= MAX_FIXED) {
        const fixed = m.array.new_fixed(A.heap, [...bytes].map((b) => m.i32.const(b)));
        m.addGlobal(name, S.ref, false, m.struct.new([m.i32.const(bytes.length), fixed], S.heap));
        return;
      }
      // Mutable only so that the start function can set it; an empty string
      // until then, which no code sees (the start function runs first).
      m.addGlobal(name, S.ref, true, m.struct.new([m.i32.const(0), m.array.new_fixed(A.heap, [])], S.heap));
      const segment = `${name}.bytes`;
      segments.push({ name: segment, data: bytes });
      starts.push(m.global.set(name, m.struct.new([m.i32.const(bytes.length), m.array.new_data(A.heap, segment, m.i32.const(0), m.i32.const(bytes.length))], S.heap)));
    },
    finishConstants() {
      if (segments.length === 0) return;
      // Passive segments need a memory in binaryen's API (setMemory); it has
      // no pages and is not exported: nothing else uses it.
      m.setMemory(0, 0, null, segments.map((seg) => ({ ...seg, passive: true, offset: 0 })));
      m.setStart(m.addFunction(STRING_INIT, binaryen.none, binaryen.none, [], m.block(null, starts)));
    },
    len: (s) => m.call("vm3.str_length", [s], i64),
    concat: (a, b) => m.call("vm3.str_concat", [a, b], S.ref),
    equal: (a, b) => m.call("vm3.str_equal", [a, b], i32),
  };
}
