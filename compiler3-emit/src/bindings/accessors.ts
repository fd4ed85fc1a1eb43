// The IR half of the typed JS API (bindings.md): a program is bound by
// appending small IR functions — a constructor and a getter and setter per
// field of each struct shape, the accessors of each list and map type the
// program uses, and the boxing of `any` — and compiling the result with
// every function exported. Accessors written in IR run the ops' own checks
// (a null struct is NULL_DEREF, an index out of range INDEX_OUT_OF_BOUNDS,
// a freed object STALE_HANDLE) on both targets, so no target needs a second,
// hand-written copy of them, and the JS side only converts values at the
// function boundary (bind.ts).
//
// The names are fixed by the shape's and field's indices, not their names,
// so that no two can collide: `__vm3_s3_get2` is field 2 of shape 3. A
// program whose own functions use the prefix cannot be bound.

import type { FullType, Program, StructShape } from "../ir/model.ts";
import { Type, importResultType, resultType } from "../ir/model.ts";
import { parseText } from "../ir/text-parser.ts";
import { printText } from "../ir/text-printer.ts";
import { typeText } from "../ir/types.ts";

export const BINDING_PREFIX = "__vm3_";

/** The collection types with accessors, by their key in the names. */
export type CollectionKind = "li64" | "lany" | "f64arr" | "map";

export const accessorName = {
  structNew: (s: number) => `${BINDING_PREFIX}s${s}_new`,
  get: (s: number, f: number) => `${BINDING_PREFIX}s${s}_get${f}`,
  set: (s: number, f: number) => `${BINDING_PREFIX}s${s}_set${f}`,
  collection: (k: CollectionKind, op: string) => `${BINDING_PREFIX}${k}_${op}`,
  box: (what: "i64" | "f64" | "bool" | "host") => `${BINDING_PREFIX}box_${what}`,
  unboxHost: `${BINDING_PREFIX}unbox_host`,
} as const;

/** The ops of each collection kind, in the order bind.ts exposes them. */
export const COLLECTION_OPS: Readonly<Record<CollectionKind, readonly string[]>> = {
  li64: ["new", "len", "get", "set", "push"],
  lany: ["new", "len", "get", "set", "push"],
  f64arr: ["new", "len", "get", "set", "push"],
  map: ["new", "len", "get", "set", "has"],
};

export class BindingError extends Error {
  override name = "BindingError";
}

/** The collection kind of a type, or undefined. */
export function collectionKind(t: FullType): CollectionKind | undefined {
  if (t.type === Type.LIST) return t.elemType === Type.I64 ? "li64" : "lany";
  if (t.type === Type.F64_ARR) return "f64arr";
  if (t.type === Type.MAP) return "map";
  return undefined;
}

/** Every full type the program's functions, fields and host imports mention. */
function typesUsed(p: Program): FullType[] {
  const out: FullType[] = [];
  for (const f of p.functions) {
    out.push(resultType(f));
    for (const v of f.values) out.push(v);
  }
  for (const s of p.structs) out.push(...s.fields);
  for (const h of p.hostImports ?? []) out.push(...h.params, importResultType(h));
  return out;
}

/** What a bound program has accessors for. */
export interface BindingPlan {
  readonly collections: readonly CollectionKind[];
  /** Whether `any` appears: then the box functions exist. */
  readonly any: boolean;
}

export function bindingPlan(p: Program): BindingPlan {
  const used = typesUsed(p);
  const kinds = new Set<CollectionKind>();
  let any = false;
  for (const t of used) {
    const k = collectionKind(t);
    if (k !== undefined) kinds.add(k);
    if (t.type === Type.ANY || (t.type === Type.LIST && t.elemType !== Type.I64)) any = true;
  }
  const order: CollectionKind[] = ["li64", "lany", "f64arr", "map"];
  return { collections: order.filter((k) => kinds.has(k)), any };
}

/**
 * `program` with the binding functions appended (its own functions keep
 * their indices). Throws BindingError for a program that already has a
 * function named with the prefix.
 */
export function withAccessors(program: Program): Program {
  const clash = program.functions.find((f) => f.name.startsWith(BINDING_PREFIX));
  if (clash !== undefined) throw new BindingError(`func ${clash.name}: names starting with ${BINDING_PREFIX} are reserved for the bindings' accessors`);
  const plan = bindingPlan(program);
  const funcs: string[] = [];
  program.structs.forEach((s, si) => funcs.push(...structAccessors(program.structs, s, si)));
  for (const k of plan.collections) funcs.push(...collectionAccessors(k));
  if (plan.any) funcs.push(...boxAccessors());
  if (funcs.length === 0) return program;
  // The structs are declared in the same order, so StructIDs agree with the program's.
  const header = printText({ entry: accessorNameOfFirst(funcs), structs: program.structs, functions: [], hostImports: [] });
  const parsed = parseText(`${header}\n${funcs.join("\n")}`, "<bindings>").program;
  return { ...program, functions: [...program.functions, ...parsed.functions] };
}

function accessorNameOfFirst(funcs: string[]): string {
  return /^func (\w+)/.exec(funcs[0]!)![1]!;
}

function fn(name: string, params: string[], result: string, body: string[], ret?: string): string {
  const ps = params.map((t, i) => `v${i}: ${t}`).join(", ");
  const last = ret === undefined ? "  return" : `  return ${ret}`;
  return `func ${name}(${ps}) -> ${result} {\nb0:\n${body.map((l) => `  ${l}`).join("\n")}${body.length > 0 ? "\n" : ""}${last}\n}\n`;
}

function structAccessors(structs: readonly StructShape[], s: StructShape, si: number): string[] {
  const ty = (t: FullType) => typeText(t, structs);
  const self = `struct<${s.name}>`;
  const n = s.fields.length;
  const args = s.fields.map((_, i) => `v${i}`).join(", ");
  const out = [fn(accessorName.structNew(si), s.fields.map(ty), self, [`v${n} = struct.new ${s.name}${n > 0 ? ` ${args}` : ""}`], `v${n}`)];
  s.fields.forEach((f, fi) => {
    out.push(fn(accessorName.get(si, fi), [self], ty(f), [`v1 = struct.get ${s.name}.${f.name} v0`], "v1"));
    out.push(fn(accessorName.set(si, fi), [self, ty(f)], "unit", [`v2 = struct.set ${s.name}.${f.name} v0, v1`]));
  });
  return out;
}

function collectionAccessors(k: CollectionKind): string[] {
  const name = (op: string) => accessorName.collection(k, op);
  if (k === "map") {
    return [
      fn(name("new"), [], "map", ["v0 = newmap"], "v0"),
      fn(name("len"), ["map"], "i64", ["v1 = map.len v0"], "v1"),
      fn(name("get"), ["map", "i64"], "i64", ["v2 = map.get.i64.i64 v0, v1"], "v2"),
      fn(name("set"), ["map", "i64", "i64"], "unit", ["v3 = map.set.i64.i64 v0, v1, v2"]),
      fn(name("has"), ["map", "i64"], "bool", ["v2 = map.has.i64 v0, v1"], "v2"),
    ];
  }
  const { t, el, make, len, get, set, push } = {
    li64: { t: "list<i64>", el: "i64", make: "newlist", len: "list.len.i64", get: "list.get.i64", set: "list.set.i64", push: "list.push.i64" },
    lany: { t: "list<any>", el: "any", make: "newlistany", len: "listany.len", get: "listany.get", set: "listany.set", push: "listany.push" },
    f64arr: { t: "f64arr", el: "f64", make: "newf64array", len: "f64arr.len.i64", get: "f64arr.get.f64", set: "f64arr.set.f64", push: "f64arr.push.f64" },
  }[k];
  return [
    fn(name("new"), [], t, [`v0 = ${make}`], "v0"),
    fn(name("len"), [t], "i64", [`v1 = ${len} v0`], "v1"),
    fn(name("get"), [t, "i64"], el, [`v2 = ${get} v0, v1`], "v2"),
    fn(name("set"), [t, "i64", el], "unit", [`v3 = ${set} v0, v1, v2`]),
    fn(name("push"), [t, el], "unit", [`v2 = ${push} v0, v1`]),
  ];
}

function boxAccessors(): string[] {
  return [
    fn(accessorName.box("i64"), ["i64"], "any", ["v1 = box.i64 v0"], "v1"),
    fn(accessorName.box("f64"), ["f64"], "any", ["v1 = box.f64 v0"], "v1"),
    fn(accessorName.box("bool"), ["bool"], "any", ["v1 = box.bool v0"], "v1"),
    fn(accessorName.box("host"), ["host"], "any", ["v1 = box.ref v0"], "v1"),
    fn(accessorName.unboxHost, ["any"], "host", ["v1 = unbox.host v0"], "v1"),
  ];
}
