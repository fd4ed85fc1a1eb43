// A module exercising every helper of the WasmGC runtime type layer through
// small exported functions; wasmgc-types.test.ts runs it.

import { binaryen, i64Const, newWasmGcModule, refEq } from "../src/wasm/binaryen.ts";
import { buildRuntimeTypes, type ShapeDesc } from "../src/wasmgc/runtime-types.ts";
import { installCellOps } from "../src/wasmgc/cell-ops.ts";
import { installListOps } from "../src/wasmgc/list-ops.ts";

const SHAPES: ShapeDesc[] = [
  // 0: a linked-list node that refers to itself
  {
    name: "Node",
    fields: [
      { name: "value", kind: "i64" },
      { name: "next", kind: { shape: 0 } },
    ],
  },
  // 1 and 2: the same layout as each other and as I64Box; must stay distinct types
  { name: "A", fields: [{ name: "x", kind: "i64", mutable: false }] },
  { name: "B", fields: [{ name: "x", kind: "i64", mutable: false }] },
  // 3: every field kind
  {
    name: "All",
    fields: [
      { kind: "i64" },
      { kind: "f64" },
      { kind: "bool" },
      { kind: "cell" },
      { kind: "list" },
      { kind: "f64list" },
      { kind: "i64list" },
      { kind: "u8list" },
      { kind: "string" },
      { kind: "map_i64" },
      { kind: "map_cell" },
      { kind: "host" },
      { kind: { shape: 4 } }, // forward reference
    ],
  },
  { name: "Later", fields: [{ kind: "f64" }] },
];

export function buildTestModule(): binaryen.Module {
  const m = newWasmGcModule();
  const t = buildRuntimeTypes(m, SHAPES);
  const cells = installCellOps(m, t);
  const cellList = installListOps(m, t, t.cellList);
  const f64List = installListOps(m, t, t.f64List);
  const u8List = installListOps(m, t, t.u8List);
  const { i32, i64, f64, eqref } = binaryen;
  const fn = (name: string, params: binaryen.Type[], result: binaryen.Type, vars: binaryen.Type[], body: binaryen.ExpressionRef) => {
    m.addFunction(name, binaryen.createType(params), result, vars, body);
    m.addFunctionExport(name, name);
  };
  const get = (i: number, type: binaryen.Type) => m.local.get(i, type);

  // scalars
  fn("box_unbox", [i64], i64, [], cells.unboxI64(cells.boxI64(get(0, i64))));
  fn("check_int48", [i64], i64, [], cells.checkInt48(get(0, i64)));
  // 0: i31, 1: I64Box, 2: something else
  fn(
    "box_kind",
    [i64],
    i32,
    [refEq],
    m.block(
      null,
      [
        m.local.set(1, cells.boxI64(get(0, i64))),
        m.select(
          m.ref.test(get(1, refEq), t.i31.ref),
          m.i32.const(0),
          m.select(m.ref.test(get(1, refEq), t.i64Box.ref), m.i32.const(1), m.i32.const(2)),
        ),
      ],
      i32,
    ),
  );
  fn("f64_round_trip", [f64], f64, [], cells.unboxF64(cells.boxF64(get(0, f64))));
  fn("bool_round_trip", [i32], i32, [], cells.unboxBool(cells.boxBool(get(0, i32))));
  // the bool boxes are singletons: box(a) == box(b) iff a and b are both true or both false
  fn("bool_same_box", [i32, i32], i32, [], m.ref.eq(cells.boxBool(get(0, i32)), cells.boxBool(get(1, i32))));
  // cells of each kind, to unbox as the wrong kind: 0 null, 1 i31, 2 I64Box, 3 F64Box, 4 bool, 5 list, 6 shape A
  const cellOfKind = (kind: binaryen.ExpressionRef): binaryen.ExpressionRef => {
    const arms: binaryen.ExpressionRef[] = [
      cells.nullCell(),
      cells.boxI64(m.i64.const(7n)),
      cells.boxI64(i64Const(m, 2n ** 40n)),
      cells.boxF64(m.f64.const(1.5)),
      cells.boxBool(m.i32.const(1)),
      cellList.newList(m.i64.const(0n)),
      m.struct.new([m.i64.const(1n)], t.shapes[1]!.heap),
    ];
    return arms.reduceRight(
      (otherwise, arm, i) => m.if(m.i32.eq(kind, m.i32.const(i)), arm, otherwise),
      m.unreachable(),
    );
  };
  m.addFunction("cell_of_kind", i32, eqref, [], cellOfKind(get(0, i32)));
  const cellOf = (k: binaryen.ExpressionRef) => m.call("cell_of_kind", [k], eqref);
  fn("unbox_i64_of", [i32], i64, [], cells.unboxI64(cellOf(get(0, i32))));
  fn("unbox_f64_of", [i32], f64, [], cells.unboxF64(cellOf(get(0, i32))));
  fn("unbox_bool_of", [i32], i32, [], cells.unboxBool(cellOf(get(0, i32))));
  fn("as_list_len_of", [i32], i64, [], cellList.len(cellList.fromCell(cellOf(get(0, i32)))));
  // unbox.T semantics: 1 if the cast gave null, 0 if a list
  fn("as_list_or_null_of", [i32], i32, [], m.ref.is_null(cellList.fromCellOrNull(cellOf(get(0, i32)))));

  // list_sum(n): push boxed i·k for i in [0, n), then sum the unboxed elements (k big enough to leave i31)
  const L = t.cellList.list.refNull;
  fn(
    "list_sum",
    [i64, i64],
    i64,
    [L, i64, i64],
    m.block(
      null,
      [
        m.local.set(2, cellList.newList(m.i64.const(0n))),
        m.local.set(3, m.i64.const(0n)),
        m.loop(
          "push",
          m.if(
            m.i64.lt_s(get(3, i64), get(0, i64)),
            m.block(null, [
              cellList.push(get(2, L), cells.boxI64(m.i64.mul(get(3, i64), get(1, i64)))),
              m.local.set(3, m.i64.add(get(3, i64), m.i64.const(1n))),
              m.br("push"),
            ]),
          ),
        ),
        m.local.set(3, m.i64.const(0n)),
        m.local.set(4, m.i64.const(0n)),
        m.loop(
          "sum",
          m.if(
            m.i64.lt_s(get(3, i64), cellList.len(get(2, L))),
            m.block(null, [
              m.local.set(4, m.i64.add(get(4, i64), cells.unboxI64(cellList.get(get(2, L), get(3, i64))))),
              m.local.set(3, m.i64.add(get(3, i64), m.i64.const(1n))),
              m.br("sum"),
            ]),
          ),
        ),
        get(4, i64),
      ],
      i64,
    ),
  );
  // list_new(len) then get(i) / set(i): exercise BAD_ARGUMENT and OUT_OF_BOUNDS; get of a fresh list is null → unbox NULL_DEREF
  fn("list_new_len", [i64], i64, [], cellList.len(cellList.newList(get(0, i64))));
  fn("list_get_at", [i64, i64], i64, [], cells.unboxI64(cellList.get(cellList.newList(get(0, i64)), get(1, i64))));
  fn(
    "list_set_get",
    [i64, i64, i64],
    i64,
    [L],
    m.block(
      null,
      [
        m.local.set(3, cellList.newList(get(0, i64))),
        cellList.set(get(3, L), get(1, i64), cells.boxI64(get(2, i64))),
        cells.unboxI64(cellList.get(get(3, L), get(1, i64))),
      ],
      i64,
    ),
  );
  fn("null_list_len", [], i64, [], cellList.len(m.ref.null(binaryen.nullref)));
  fn("null_list_push", [], binaryen.none, [], cellList.push(m.ref.null(binaryen.nullref), cells.nullCell()));

  // typed lists: f64 sum of i/2 for i in [0, n); u8 stores truncate to a byte and read back unsigned
  const F = t.f64List.list.refNull;
  fn(
    "f64_list_sum",
    [i64],
    f64,
    [F, i64, f64],
    m.block(
      null,
      [
        m.local.set(1, f64List.newList(m.i64.const(0n))),
        m.local.set(2, m.i64.const(0n)),
        m.loop(
          "push",
          m.if(
            m.i64.lt_s(get(2, i64), get(0, i64)),
            m.block(null, [
              f64List.push(get(1, F), m.f64.div(m.f64.convert_s.i64(get(2, i64)), m.f64.const(2))),
              m.local.set(2, m.i64.add(get(2, i64), m.i64.const(1n))),
              m.br("push"),
            ]),
          ),
        ),
        m.local.set(2, m.i64.const(0n)),
        m.local.set(3, m.f64.const(0)),
        m.loop(
          "sum",
          m.if(
            m.i64.lt_s(get(2, i64), f64List.len(get(1, F))),
            m.block(null, [
              m.local.set(3, m.f64.add(get(3, f64), f64List.get(get(1, F), get(2, i64)))),
              m.local.set(2, m.i64.add(get(2, i64), m.i64.const(1n))),
              m.br("sum"),
            ]),
          ),
        ),
        get(3, f64),
      ],
      f64,
    ),
  );
  const U = t.u8List.list.refNull;
  fn(
    "u8_push_get",
    [i32],
    i32,
    [U],
    m.block(
      null,
      [m.local.set(1, u8List.newList(m.i64.const(0n))), u8List.push(get(1, U), get(0, i32)), u8List.get(get(1, U), m.i64.const(0n))],
      i32,
    ),
  );

  // shapes: a chain of n Nodes (values 1..n) summed by walking next; A vs B vs I64Box are distinct
  const node = t.shapes[0]!;
  fn(
    "node_chain_sum",
    [i64],
    i64,
    [node.refNull, i64],
    m.block(
      null,
      [
        m.local.set(1, m.ref.null(binaryen.nullref)),
        m.loop(
          "build",
          m.if(
            m.i64.gt_s(get(0, i64), m.i64.const(0n)),
            m.block(null, [
              m.local.set(1, m.struct.new([get(0, i64), get(1, node.refNull)], node.heap)),
              m.local.set(0, m.i64.sub(get(0, i64), m.i64.const(1n))),
              m.br("build"),
            ]),
          ),
        ),
        m.loop(
          "walk",
          m.if(
            m.i32.eqz(m.ref.is_null(get(1, node.refNull))),
            m.block(null, [
              m.local.set(2, m.i64.add(get(2, i64), m.struct.get(0, get(1, node.refNull), i64, false))),
              m.local.set(1, m.struct.get(1, get(1, node.refNull), node.refNull, false)),
              m.br("walk"),
            ]),
          ),
        ),
        get(2, i64),
      ],
      i64,
    ),
  );
  // bit 0: an A is an A; bit 1: an A is a B; bit 2: an A is an I64Box; bit 3: an A is a struct base; bit 4: an I64Box is an A
  const a = () => m.struct.new([m.i64.const(1n)], t.shapes[1]!.heap);
  const bit = (cond: binaryen.ExpressionRef, n: number) => m.i32.shl(cond, m.i32.const(n));
  fn(
    "shape_tests",
    [],
    i32,
    [],
    [
      bit(m.ref.test(a(), t.shapes[1]!.ref), 0),
      bit(m.ref.test(a(), t.shapes[2]!.ref), 1),
      bit(m.ref.test(a(), t.i64Box.ref), 2),
      bit(m.ref.test(a(), t.structBase.ref), 3),
      bit(m.ref.test(m.struct.new([m.i64.const(1n)], t.i64Box.heap), t.shapes[1]!.ref), 4),
    ].reduce((x, y) => m.i32.or(x, y)),
  );
  // a string and a U8List (same layout) are distinct types too
  fn(
    "string_is_u8array",
    [],
    i32,
    [],
    m.ref.test(m.struct.new([m.i32.const(3), m.array.new_default(t.u8Array.heap, m.i32.const(3))], t.string.heap), t.u8List.list.ref),
  );
  // an All with defaults has its bool field 0 and its f64 field 0
  const all = t.shapes[3]!;
  fn(
    "all_defaults",
    [],
    f64,
    [all.refNull],
    m.block(
      null,
      [
        m.local.set(0, m.struct.new_default(all.heap)),
        m.struct.set(2, get(0, all.refNull), m.i32.const(257)), // packed i8: stored as 1
        m.f64.add(
          m.struct.get(1, get(0, all.refNull), f64, false),
          m.f64.convert_u.i32(m.struct.get(2, get(0, all.refNull), i32, false)),
        ),
      ],
      f64,
    ),
  );
  return m;
}

