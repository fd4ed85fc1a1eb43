// ir.md §8.11 rules about what each value computes, driven by the op table
// (ops.ts): 7 (operand count and types, result type), 9 (valid types, unit
// only where allowed), 11 (`const` and the written type), 12 (calls), 13 (tail
// calls) and 15 (phi src types).
import type { FullType, Value } from "./model.ts";
import { OpCode, TermKind, Type, fullTypeEquals, importResultType, resultType } from "./model.ts";
import type { Operand } from "./ops.ts";
import { opInfo } from "./ops.ts";
import { isReference, typeError } from "./types.ts";
import type { Context, FuncFacts } from "./validate-context.ts";

export function checkOps(cx: Context, facts: FuncFacts): void {
  const { fi, f, owner } = facts;
  const p = cx.p;
  const ns = p.structs.length;
  // Rule 9 on the signature and the shapes (shapes once, with function 0).
  const rt = resultType(f);
  const rErr = typeError(rt, ns);
  if (rErr !== undefined) cx.error(9, fi, undefined, undefined, `result type: ${rErr}`);
  if (fi === 0) {
    for (const h of p.hostImports ?? []) {
      h.params.forEach((t, k) => {
        const e = typeError(t, ns) ?? (t.type === Type.UNIT ? "unit is not a parameter type" : undefined);
        if (e !== undefined) cx.error(9, undefined, undefined, undefined, `host import @${h.name}: parameter ${k}: ${e}`);
      });
      const e = typeError(importResultType(h), ns);
      if (e !== undefined) cx.error(9, undefined, undefined, undefined, `host import @${h.name}: result type: ${e}`);
    }
    for (const s of p.structs) {
      for (const fd of s.fields) {
        const e = typeError(fd, ns) ?? (fd.type === Type.UNIT ? "unit is not a field type" : undefined);
        if (e !== undefined) cx.error(9, undefined, undefined, undefined, `struct ${s.name}: field ${fd.name}: ${e}`);
      }
    }
  }
  for (const v of f.values) {
    const id = v.id;
    const b = owner[v.id];
    const err = (rule: number, msg: string): void => cx.error(rule, fi, b, id, msg);
    const operandType = (k: number): Value | undefined => {
      const a = v.args[k]!;
      const t = f.values[a];
      if (t === undefined) err(7, `arg ${k} v${a} is not a value`);
      return t;
    };
    const expectArg = (k: number, want: FullType, rule = 7): void => {
      const t = operandType(k);
      if (t !== undefined && !fullTypeEquals(t, want)) err(rule, `arg ${k} v${v.args[k]} has type ${cx.type(t)}, want ${cx.type(want)}`);
    };
    const expectCount = (n: number, rule = 7): boolean => {
      if (v.args.length === n) return true;
      err(rule, `has ${v.args.length} args, want ${n}`);
      return false;
    };
    const expectResult = (want: FullType, rule = 7): void => {
      if (!fullTypeEquals(v, want)) err(rule, `has type ${cx.type(v)}, want ${cx.type(want)}`);
    };
    const info = opInfo(v.op);
    if (info === undefined) {
      err(7, v.op === OpCode.INVALID ? "op is INVALID" : `unknown op ${v.op}`);
      continue;
    }
    // Rule 9: the value's type is one of §8.2's; unit only for unit-producing ops, calls and phis.
    const tErr = typeError(v, ns);
    if (tErr !== undefined) err(9, tErr);
    else if (v.type === Type.UNIT && info.result.kind === "written" && v.op !== OpCode.PHI) {
      err(9, `${info.name} cannot have type unit`);
    }
    // Rule 11: what const may hold.
    if (info.constUse === "none" && v.const !== 0n) err(11, `${info.name} has const ${v.const}, want 0`);
    // Operands and result, by the table.
    const ops = info.operands;
    switch (ops.kind) {
      case "fixed":
        if (expectCount(ops.list.length)) ops.list.forEach((o, k) => checkOperand(cx, v, k, o, operandType, err));
        break;
      case "phi":
        // Rule 4 checks the pairs; rule 15 their types.
        for (let k = 1; k < v.args.length; k += 2) {
          const src = f.values[v.args[k]!];
          if (src !== undefined && !fullTypeEquals(src, v)) {
            err(15, `phi src v${src.id} for b${v.args[k - 1]} has type ${cx.type(src)}, want ${cx.type(v)}`);
          }
        }
        break;
      case "callee": {
        const callee = p.functions[Number(v.const)];
        if (v.const < 0n || callee === undefined) {
          err(11, `calls function index ${v.const}, which does not exist (${p.functions.length} functions)`);
          break;
        }
        // Rule 12.
        if (expectCount(callee.params.length, 12)) {
          callee.params.forEach((pid, k) => {
            const pt = callee.values[pid];
            if (pt !== undefined) expectArg(k, pt, 12);
          });
        }
        const cr = resultType(callee);
        if (!fullTypeEquals(v, cr)) err(12, `has type ${cx.type(v)}, but @${callee.name} returns ${cx.type(cr)}`);
        if (v.op === OpCode.TAIL_CALL) checkTailCall(cx, facts, v, err);
        break;
      }
      case "hostImport": {
        const imports = p.hostImports ?? [];
        const h = v.const >= 0n ? imports[Number(v.const)] : undefined;
        if (h === undefined) {
          err(11, `calls host import index ${v.const}, which does not exist (${imports.length} host imports)`);
          break;
        }
        // Rule 12, as for calls (host.md §11.2).
        if (expectCount(h.params.length, 12)) h.params.forEach((t, k) => expectArg(k, t, 12));
        const hr = importResultType(h);
        if (!fullTypeEquals(v, hr)) err(12, `has type ${cx.type(v)}, but host import @${h.name} returns ${cx.type(hr)}`);
        break;
      }
      case "shapeFields": {
        const shape = v.type === Type.STRUCT ? p.structs[v.structId] : undefined;
        if (shape === undefined) {
          if (tErr === undefined) err(11, `struct.new has type ${cx.type(v)}, want a struct type`);
          break;
        }
        if (expectCount(shape.fields.length, 11)) shape.fields.forEach((fd, k) => expectArg(k, fd, 11));
        break;
      }
      case "structField": {
        if (!expectCount(ops.set ? 2 : 1)) break;
        const obj = operandType(0);
        if (obj === undefined) break;
        const shape = obj.type === Type.STRUCT ? p.structs[obj.structId] : undefined;
        if (shape === undefined) {
          err(7, `arg 0 v${obj.id} has type ${cx.type(obj)}, want a struct`);
          break;
        }
        const field = v.const >= 0n ? shape.fields[Number(v.const)] : undefined;
        if (field === undefined) {
          err(11, `field index ${v.const} is out of range for struct ${shape.name} (${shape.fields.length} fields)`);
          break;
        }
        if (ops.set) expectArg(1, field);
        else expectResult(field);
        break;
      }
    }
    // Result type rules.
    const r = info.result;
    if (r.kind === "fixed") expectResult(r.type);
    else if (r.kind === "written" && tErr === undefined) {
      const plain = v.elemType === Type.INVALID && v.structId === 0;
      switch (r.allowed) {
        case "const": {
          const ok = plain && [Type.I64, Type.F64, Type.BOOL, Type.STR].some((t) => t === v.type);
          if (!ok) err(11, `const has type ${cx.type(v)}, want i64, f64, bool or str`);
          else if (v.type === Type.BOOL && v.const !== 0n && v.const !== 1n) err(11, `const.bool is ${v.const}, want 0 or 1`);
          else if (v.type === Type.STR && (v.const < 0n || v.const >= BigInt(f.strings.length))) {
            err(11, `const.str index ${v.const} is out of range (${f.strings.length} strings)`);
          }
          break;
        }
        case "reference":
          if (!isReference(v)) err(11, `null has type ${cx.type(v)}, want a reference type`);
          break;
        case "referenceNotAny":
          if (!isReference(v) || v.type === Type.ANY) err(11, `unbox.T has type ${cx.type(v)}, want a reference type other than any`);
          break;
        case "any":
          if (v.op === OpCode.PARAM && v.type === Type.UNIT) err(9, "a parameter cannot have type unit");
          break;
      }
    }
  }
}

function checkOperand(
  cx: Context,
  v: Value,
  k: number,
  o: Operand,
  operandType: (k: number) => Value | undefined,
  err: (rule: number, msg: string) => void,
): void {
  const t = operandType(k);
  if (t === undefined) return;
  switch (o.kind) {
    case "exact":
      if (!fullTypeEquals(t, o.type)) err(7, `arg ${k} v${t.id} has type ${cx.type(t)}, want ${cx.type(o.type)}`);
      break;
    case "ref":
      if (!isReference(t) || t.type === Type.ANY) err(7, `arg ${k} v${t.id} has type ${cx.type(t)}, want a reference type other than any`);
      break;
    case "refOrAny":
      if (!isReference(t)) err(7, `arg ${k} v${t.id} has type ${cx.type(t)}, want a reference type or any`);
      break;
  }
  void v;
}

/** Rule 13: last value of its block, returned by the terminator, same result as the caller. */
function checkTailCall(cx: Context, facts: FuncFacts, v: Value, err: (rule: number, msg: string) => void): void {
  const { f, owner } = facts;
  const b = owner[v.id];
  const block = b === undefined ? undefined : f.blocks[b];
  if (block === undefined) return;
  if (block.values[block.values.length - 1] !== v.id) err(13, "tailcall is not the last value of its block");
  const callee = cx.p.functions[Number(v.const)]!;
  const cr = resultType(callee);
  const mine = resultType(f);
  if (!fullTypeEquals(cr, mine)) err(13, `tailcall of @${callee.name} returning ${cx.type(cr)} from a function returning ${cx.type(mine)}`);
  const t = block.term;
  const unitReturn = f.result === Type.UNIT && callee.result === Type.UNIT && t.value === 0;
  if (t.kind !== TermKind.RETURN || (t.value !== v.id && !unitReturn)) {
    err(13, `the block's terminator must be return v${v.id}`);
  }
}
