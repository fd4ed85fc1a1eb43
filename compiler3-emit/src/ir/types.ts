// The IR's types (ir.md §8.2) and their text spelling (ir-text.md §Grammar
// `type`): which types are valid, which are references, and how a full type
// is written. Shared by the parser, the printer and the validator so that a
// type is spelled and checked in one place.
import type { FullType, StructShape } from "./model.ts";
import { Type, enumName, scalarType } from "./model.ts";

/** Types with no parts (ir.md §8.2 table), by their text spelling. */
const SIMPLE_TEXT: ReadonlyMap<string, Type> = new Map<string, Type>([
  ["i64", Type.I64],
  ["f64", Type.F64],
  ["bool", Type.BOOL],
  ["str", Type.STR],
  ["map", Type.MAP],
  ["f64arr", Type.F64_ARR],
  ["any", Type.ANY],
  ["unit", Type.UNIT],
  ["host", Type.HOST],
]);

const TEXT_OF_SIMPLE: ReadonlyMap<Type, string> = new Map([...SIMPLE_TEXT].map(([k, v]) => [v, k]));

export const I64: FullType = scalarType(Type.I64);
export const F64: FullType = scalarType(Type.F64);
export const BOOL: FullType = scalarType(Type.BOOL);
export const STR: FullType = scalarType(Type.STR);
export const MAP: FullType = scalarType(Type.MAP);
export const F64_ARR: FullType = scalarType(Type.F64_ARR);
export const ANY: FullType = scalarType(Type.ANY);
export const UNIT: FullType = scalarType(Type.UNIT);
export const HOST: FullType = scalarType(Type.HOST);
export const LIST_I64: FullType = { type: Type.LIST, elemType: Type.I64, structId: 0 };
export const LIST_ANY: FullType = { type: Type.LIST, elemType: Type.ANY, structId: 0 };

/** A reference type (ir.md §8.2 "kind: reference"), `any` included. */
export function isReference(t: FullType): boolean {
  switch (t.type) {
    case Type.STR:
    case Type.LIST:
    case Type.MAP:
    case Type.STRUCT:
    case Type.F64_ARR:
    case Type.ANY:
    case Type.HOST:
      return true;
    default:
      return false;
  }
}

/**
 * Why `t` is not one of §8.2's types (rule 9), or undefined when it is one.
 * Reserved types, a bad `elem_type` and a `struct_id` naming no shape are
 * errors; `unit` is accepted here (where it may appear is the caller's rule).
 */
export function typeError(t: FullType, structCount: number): string | undefined {
  switch (t.type) {
    case Type.I64:
    case Type.F64:
    case Type.BOOL:
    case Type.STR:
    case Type.MAP:
    case Type.F64_ARR:
    case Type.ANY:
    case Type.UNIT:
    case Type.HOST:
      if (t.elemType !== Type.INVALID) return `elem_type ${typeEnumText(t.elemType)} on a non-list type`;
      if (t.structId !== 0) return `struct_id ${t.structId} on a non-struct type`;
      return undefined;
    case Type.LIST:
      if (t.elemType !== Type.I64 && t.elemType !== Type.ANY) {
        return `list elem_type must be I64 or ANY, not ${typeEnumText(t.elemType)}`;
      }
      if (t.structId !== 0) return `struct_id ${t.structId} on a non-struct type`;
      return undefined;
    case Type.STRUCT:
      if (t.elemType !== Type.INVALID) return `elem_type ${typeEnumText(t.elemType)} on a non-list type`;
      if (t.structId >= structCount) return `struct_id ${t.structId} names no struct shape (${structCount} shapes)`;
      return undefined;
    default:
      return `type ${typeEnumText(t.type)} is ${t.type === Type.INVALID ? "invalid" : "reserved"}`;
  }
}

function typeEnumText(t: number): string {
  return enumName(Type, t) ?? String(t);
}

/**
 * The text spelling of a full type (ir-text.md `type`). Invalid types get a
 * spelling that cannot be parsed back (e.g. `SET`, `struct<#9>`), for messages.
 */
export function typeText(t: FullType, structs: readonly StructShape[]): string {
  const simple = TEXT_OF_SIMPLE.get(t.type);
  if (simple !== undefined && t.elemType === Type.INVALID && t.structId === 0) return simple;
  if (t.type === Type.LIST && t.structId === 0) {
    if (t.elemType === Type.I64) return "list<i64>";
    if (t.elemType === Type.ANY) return "list<any>";
    return `list<${typeEnumText(t.elemType)}>`;
  }
  if (t.type === Type.STRUCT && t.elemType === Type.INVALID) {
    const shape = structs[t.structId];
    return shape === undefined ? `struct<#${t.structId}>` : `struct<${shape.name}>`;
  }
  return `${typeEnumText(t.type)}(elem ${typeEnumText(t.elemType)}, struct ${t.structId})`;
}

/**
 * Reads a type token (`i64`, `list<any>`, `struct<Node>`). `structIndex`
 * resolves a shape name; returns a message when the text is no type.
 */
export function parseTypeText(
  text: string,
  structIndex: (name: string) => number | undefined,
): FullType | string {
  const simple = SIMPLE_TEXT.get(text);
  if (simple !== undefined) return scalarType(simple);
  if (text === "list<i64>") return LIST_I64;
  if (text === "list<any>") return LIST_ANY;
  const m = /^struct<(.*)>$/.exec(text);
  if (m !== null) {
    const name = m[1] ?? "";
    const id = structIndex(name);
    if (id === undefined) return `undefined struct ${name}`;
    return { type: Type.STRUCT, elemType: Type.INVALID, structId: id };
  }
  return `unknown type "${text}"`;
}
