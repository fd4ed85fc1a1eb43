// Program ↔ the plain form of proto3 JSON (enum names, int64 as decimal
// strings or bigints), without the schema: json.ts adds the strict,
// schema-checked input on top. Split from json.ts so that code bundled for
// the browser (browser/loader.ts reads a build's program.json, written by
// programToJsonText) loads no protobufjs and no node: modules.
import type { Block, Field, FullType, Func, HostImport, Program, StructShape, Terminator, Value } from "./model.ts";
import { OpCode, TermKind, Type } from "./model.ts";

type Plain = Record<string, unknown>;

/** strict-json.ts's / wire.ts's plain form (enum names, bigint int64) → Program. */
export function programFromPlain(plain: Plain): Program {
  const program: Program = {
    functions: list(plain.functions).map(funcFromPlain),
    entry: str(plain.entry),
    structs: list(plain.structs).map(
      (s): StructShape => ({ name: str(s.name), fields: list(s.fields).map(fieldFromPlain) }),
    ),
  };
  const imports = list(plain.hostImports).map(hostImportFromPlain);
  if (imports.length > 0) program.hostImports = imports;
  return program;
}

function hostImportFromPlain(h: Plain): HostImport {
  return {
    name: str(h.name),
    params: list(h.params).map(typeFromPlain),
    result: enumValue(Type, "TYPE_", h.result),
    resultElemType: enumValue(Type, "TYPE_", h.resultElemType),
    resultStructId: num(h.resultStructId),
  };
}

function typeFromPlain(t: Plain): FullType {
  return { type: enumValue(Type, "TYPE_", t.type), elemType: enumValue(Type, "TYPE_", t.elemType), structId: num(t.structId) };
}

function funcFromPlain(f: Plain): Func {
  return {
    name: str(f.name),
    params: nums(f.params),
    result: enumValue(Type, "TYPE_", f.result),
    resultElemType: enumValue(Type, "TYPE_", f.resultElemType),
    resultStructId: num(f.resultStructId),
    blocks: list(f.blocks).map(blockFromPlain),
    values: list(f.values).map(valueFromPlain),
    strings: list(f.strings).map((s) => String(s)),
  };
}

function blockFromPlain(b: Plain): Block {
  const t = (b.term ?? {}) as Plain;
  const term: Terminator = {
    kind: enumValue(TermKind, "TERM_", t.kind),
    target: num(t.target),
    ifTrue: num(t.ifTrue),
    ifFalse: num(t.ifFalse),
    value: num(t.value),
  };
  return { id: num(b.id), values: nums(b.values), preds: nums(b.preds), succs: nums(b.succs), term };
}

function valueFromPlain(v: Plain): Value {
  return {
    id: num(v.id),
    type: enumValue(Type, "TYPE_", v.type),
    elemType: enumValue(Type, "TYPE_", v.elemType),
    structId: num(v.structId),
    op: enumValue(OpCode, "OP_", v.op),
    args: nums(v.args),
    const: typeof v.const === "bigint" ? v.const : BigInt((v.const as string | number | undefined) ?? 0),
  };
}

function fieldFromPlain(f: Plain): Field {
  return {
    name: str(f.name),
    type: enumValue(Type, "TYPE_", f.type),
    elemType: enumValue(Type, "TYPE_", f.elemType),
    structId: num(f.structId),
  };
}

/** The canonical proto3 JSON object of a Program (defaults omitted). */
export function programToJson(p: Program): Plain {
  return omit({
    functions: p.functions.map((f) =>
      omit({
        name: f.name,
        params: f.params,
        result: enumText(Type, "TYPE_", f.result),
        blocks: f.blocks.map((b) =>
          omit({
            id: b.id,
            values: b.values,
            preds: b.preds,
            succs: b.succs,
            term: omit({
              kind: enumText(TermKind, "TERM_", b.term.kind),
              target: b.term.target,
              ifTrue: b.term.ifTrue,
              ifFalse: b.term.ifFalse,
              value: b.term.value,
            }),
          }),
        ),
        values: f.values.map((v) =>
          omit({
            id: v.id,
            type: enumText(Type, "TYPE_", v.type),
            elemType: enumText(Type, "TYPE_", v.elemType),
            structId: v.structId,
            op: enumText(OpCode, "OP_", v.op),
            args: v.args,
            const: v.const === 0n ? undefined : v.const.toString(),
          }),
        ),
        strings: f.strings,
        resultElemType: enumText(Type, "TYPE_", f.resultElemType),
        resultStructId: f.resultStructId,
      }),
    ),
    entry: p.entry,
    structs: p.structs.map((s) =>
      omit({
        name: s.name,
        fields: s.fields.map((f) =>
          omit({
            name: f.name,
            type: enumText(Type, "TYPE_", f.type),
            elemType: enumText(Type, "TYPE_", f.elemType),
            structId: f.structId,
          }),
        ),
      }),
    ),
    hostImports: (p.hostImports ?? []).map((h) =>
      omit({
        name: h.name,
        // A TypeRef at its defaults is `{}`, which omit would drop from the list: keep it.
        params: h.params.map((t) => typeToJson(t)),
        result: enumText(Type, "TYPE_", h.result),
        resultElemType: enumText(Type, "TYPE_", h.resultElemType),
        resultStructId: h.resultStructId,
      }),
    ),
  });
}

function typeToJson(t: FullType): Plain {
  return omit({ type: enumText(Type, "TYPE_", t.type), elemType: enumText(Type, "TYPE_", t.elemType), structId: t.structId });
}

/** The JSON text of a Program, two-space indented, with a final newline. */
export function programToJsonText(p: Program): string {
  return `${JSON.stringify(programToJson(p), null, 2)}\n`;
}

/** proto3 JSON leaves out fields at their default: 0, "", [], the 0 enum, an empty message. */
function omit(o: Plain): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === 0 || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === "string" && /^(TYPE|OP|TERM)_INVALID$/.test(v)) continue;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

function enumText(e: Record<string, number>, prefix: string, n: number): string | number {
  for (const [k, v] of Object.entries(e)) if (v === n) return prefix + k;
  return n; // a number the enum does not name: proto3 JSON writes it as a number
}

function enumValue<E extends Record<string, number>>(e: E, prefix: string, v: unknown): E[keyof E] {
  if (v === undefined) return 0 as E[keyof E];
  if (typeof v === "number") return v as E[keyof E];
  const name = String(v);
  const n = e[name.startsWith(prefix) ? name.slice(prefix.length) : name];
  return (n ?? 0) as E[keyof E];
}

function list(v: unknown): Plain[] {
  return Array.isArray(v) ? (v as Plain[]) : [];
}
function nums(v: unknown): number[] {
  return Array.isArray(v) ? v.map((x) => Number(x)) : [];
}
function num(v: unknown): number {
  return v === undefined ? 0 : Number(v);
}
function str(v: unknown): string {
  return v === undefined ? "" : String(v);
}
