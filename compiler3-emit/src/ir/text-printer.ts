// Program → canonical text (ir-text.md §Printing). For every program that
// passes rules 1–6 and 14 and is otherwise well-typed, parseText(printText(p))
// equals p. What the text cannot express (an op whose operand is not a struct
// where `struct.get S.f` needs its shape, PARAM outside the header, an op
// number with no mnemonic) throws IrPrintError naming the function, block
// and value.
import type { Func, Program, Value } from "./model.ts";
import { OpCode, TermKind, Type, importResultType, resultType } from "./model.ts";
import { formatError } from "./errors.ts";
import { opInfo } from "./ops.ts";
import { typeText } from "./types.ts";
import { formatF64, quoteString } from "./literals.ts";

export class IrPrintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IrPrintError";
  }
}

export function printText(p: Program): string {
  const lines: string[] = [`entry @${p.entry}`];
  if (p.structs.length > 0) lines.push("");
  for (const s of p.structs) {
    const fields = s.fields.map((f) => `${f.name}: ${typeText(f, p.structs)}`).join(", ");
    lines.push(fields === "" ? `struct ${s.name} {}` : `struct ${s.name} { ${fields} }`);
  }
  const imports = p.hostImports ?? [];
  if (imports.length > 0) lines.push("");
  for (const h of imports) {
    const params = h.params.map((t) => typeText(t, p.structs)).join(", ");
    lines.push(`import host @${h.name}(${params}) -> ${typeText(importResultType(h), p.structs)}`);
  }
  for (const f of p.functions) {
    lines.push("");
    printFunc(p, f, lines);
  }
  return `${lines.join("\n")}\n`;
}

function printFunc(p: Program, f: Func, lines: string[]): void {
  const ty = (t: Parameters<typeof typeText>[0]): string => typeText(t, p.structs);
  const params = f.params.map((id) => {
    const v = f.values[id];
    if (v === undefined) throw new IrPrintError(formatError({ func: f.name }, `parameter v${id} is not a value`));
    return `v${id}: ${ty(v)}`;
  });
  lines.push(`func ${f.name}(${params.join(", ")}) -> ${ty(resultType(f))} {`);
  f.strings.forEach((s, i) => lines.push(`  str $${i} = ${quoteString(s)}`));
  for (const b of f.blocks) {
    lines.push(`b${b.id}:`);
    b.values.forEach((id, k) => {
      if (b.id === 0 && k < f.params.length && f.params[k] === id) return; // in the header
      const v = f.values[id];
      if (v === undefined) throw new IrPrintError(formatError({ func: f.name, block: b.id }, `v${id} is not a value`));
      lines.push(`  v${id} = ${printOp(p, f, v, b.id)}`);
    });
    const t = b.term;
    switch (t.kind) {
      case TermKind.JUMP:
        lines.push(`  jump b${t.target}`);
        break;
      case TermKind.BRANCH:
        lines.push(`  branch v${t.value}, b${t.ifTrue}, b${t.ifFalse}`);
        break;
      case TermKind.RETURN:
        lines.push(f.result === Type.UNIT && t.value === 0 ? "  return" : `  return v${t.value}`);
        break;
      case TermKind.UNREACHABLE:
        lines.push("  unreachable");
        break;
      default:
        throw new IrPrintError(formatError({ func: f.name, block: b.id }, `terminator kind ${t.kind} has no text form`));
    }
  }
  lines.push("}");
}

function printOp(p: Program, f: Func, v: Value, block: number): string {
  const fail = (msg: string): never => {
    throw new IrPrintError(formatError({ func: f.name, block, value: v.id }, msg));
  };
  const info = opInfo(v.op) ?? fail(`op ${v.op} has no text form`);
  const ty = typeText(v, p.structs);
  const operands = (args: number[]): string => args.map((a) => `v${a}`).join(", ");
  switch (info.syntax) {
    case "param":
      return fail("a PARAM value outside the function header has no text form");
    case "const":
      switch (v.type) {
        case Type.I64:
          return `const.i64 ${v.const}`;
        case Type.F64:
          return `const.f64 ${formatF64(v.const)}`;
        case Type.BOOL:
          return `const.bool ${v.const === 0n ? "false" : "true"}`;
        case Type.STR:
          return `const.str $${v.const}`;
        default:
          return fail(`const of type ${ty} has no text form`);
      }
    case "phi": {
      const pairs: string[] = [];
      for (let k = 0; k + 1 < v.args.length; k += 2) pairs.push(`[b${v.args[k]}: v${v.args[k + 1]}]`);
      return pairs.length === 0 ? `phi.${ty}` : `phi.${ty} ${pairs.join(", ")}`;
    }
    case "call": {
      const callee = p.functions[Number(v.const)] ?? fail(`call of function index ${v.const}, which does not exist`);
      return `${info.mnemonic}.${ty} @${callee.name}(${operands(v.args)})`;
    }
    case "hostCall": {
      const h = p.hostImports?.[Number(v.const)] ?? fail(`host.call of host import index ${v.const}, which does not exist`);
      return `${info.mnemonic}.${ty} @${h.name}(${operands(v.args)})`;
    }
    case "typed":
      return v.op === OpCode.UNBOX_REF ? `unbox.${ty} ${operands(v.args)}` : `null.${ty}`;
    case "structNew": {
      const shape = p.structs[v.structId] ?? fail(`struct.new of struct_id ${v.structId}, which does not exist`);
      return v.args.length === 0 ? `struct.new ${shape.name}` : `struct.new ${shape.name} ${operands(v.args)}`;
    }
    case "structField": {
      // The text names the operand's shape; the proto has it only as the operand's type.
      const obj = f.values[v.args[0] ?? -1];
      const shape = obj?.type === Type.STRUCT ? p.structs[obj.structId] : undefined;
      if (shape === undefined) return fail(`${info.mnemonic}: operand is not a struct, so the shape cannot be written`);
      const field = shape.fields[Number(v.const)] ?? fail(`${info.mnemonic}: struct ${shape.name} has no field ${v.const}`);
      return `${info.mnemonic} ${shape.name}.${field.name} ${operands(v.args)}`;
    }
    case "imm":
      return `${info.mnemonic} ${operands(v.args)}, ${v.const}`;
    case "plain":
      return v.args.length === 0 ? info.mnemonic : `${info.mnemonic} ${operands(v.args)}`;
  }
}
