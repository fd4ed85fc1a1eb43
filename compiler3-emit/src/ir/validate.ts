// The validator of ir.md §8.11. validate() returns every violation it finds,
// sorted by rule number (stable), so errors[0] is the spec's "first violation
// in the order below". This file has the driver and the structural rules
// (1–6, 10, 14); op typing is validate-ops.ts (7, 9, 11–13, 15) and dominance
// validate-dominance.ts (16).
import type { Program } from "./model.ts";
import { OpCode, TermKind, Type, fullTypeEquals, resultType } from "./model.ts";
import type { SourceMap } from "./errors.ts";
import type { FuncFacts, ValidationError } from "./validate-context.ts";
import { Context } from "./validate-context.ts";
import { predecessors, termTargets } from "./cfg.ts";
import { checkOps } from "./validate-ops.ts";
import { checkDominance } from "./validate-dominance.ts";
import { KEYWORDS } from "./text-parser.ts";

export type { ValidationError } from "./validate-context.ts";

export interface ValidateOptions {
  /** From parseText: adds FILE:LINE: to every message. */
  sourceMap?: SourceMap;
  /** Stop after this many errors (default: all). */
  limit?: number;
}

/** Runs ir.md §8.11 on `p`; an empty list means the program is valid. */
export function validate(p: Program, options: ValidateOptions = {}): ValidationError[] {
  const cx = new Context(p, options.sourceMap);
  checkProgram(cx);
  p.functions.forEach((f, fi) => {
    const before = cx.errors.length;
    const facts = checkStructure(cx, fi);
    checkOps(cx, facts);
    checkCfg(cx, facts);
    // Dominance needs a well-formed function: skip it when anything else failed here.
    if (cx.errors.length === before) checkDominance(cx, facts);
  });
  const sorted = cx.errors.map((e, i) => ({ e, i })).sort((a, b) => a.e.rule - b.e.rule || a.i - b.i).map((x) => x.e);
  return options.limit === undefined ? sorted : sorted.slice(0, options.limit);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function nameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return `name "${name}" does not match [A-Za-z_][A-Za-z0-9_]*`;
  if (KEYWORDS.has(name)) return `name "${name}" is a keyword`;
  return undefined;
}

/** Rule 10: names, uniqueness and the entry function. */
function checkProgram(cx: Context): void {
  const p = cx.p;
  const seen = new Set<string>();
  p.functions.forEach((f, fi) => {
    if (f.name === "") cx.error(10, fi, undefined, undefined, "function name is empty");
    else {
      const bad = nameProblem(f.name);
      if (bad !== undefined) cx.error(10, fi, undefined, undefined, bad);
      if (seen.has(f.name)) cx.error(10, fi, undefined, undefined, `duplicate function name ${f.name}`);
    }
    seen.add(f.name);
  });
  const shapes = new Set<string>();
  p.structs.forEach((s, si) => {
    const bad = nameProblem(s.name);
    if (bad !== undefined) cx.error(10, undefined, undefined, undefined, `struct ${si}: ${bad}`);
    if (shapes.has(s.name)) cx.error(10, undefined, undefined, undefined, `duplicate struct name ${s.name}`);
    shapes.add(s.name);
    const fields = new Set<string>();
    for (const fd of s.fields) {
      const badField = nameProblem(fd.name);
      if (badField !== undefined) cx.error(10, undefined, undefined, undefined, `struct ${s.name}: field ${badField}`);
      if (fields.has(fd.name)) cx.error(10, undefined, undefined, undefined, `struct ${s.name}: duplicate field ${fd.name}`);
      fields.add(fd.name);
    }
  });
  const imports = new Set<string>();
  for (const h of p.hostImports ?? []) {
    const bad = nameProblem(h.name);
    if (bad !== undefined) cx.error(10, undefined, undefined, undefined, `host import: ${bad}`);
    if (imports.has(h.name)) cx.error(10, undefined, undefined, undefined, `duplicate host import name ${h.name}`);
    imports.add(h.name);
  }
  const ei = p.functions.findIndex((f) => f.name === p.entry);
  const entry = p.functions[ei];
  if (entry === undefined) {
    cx.error(10, undefined, undefined, undefined, `entry "${p.entry}" names no function`);
    return;
  }
  for (const id of entry.params) {
    const v = entry.values[id];
    if (v !== undefined && !(v.type === Type.I64 && v.elemType === Type.INVALID && v.structId === 0)) {
      cx.error(10, ei, undefined, id, `entry parameter v${id} has type ${cx.type(v)}, want i64`);
    }
  }
  const r = resultType(entry);
  const okResult = [Type.I64, Type.F64, Type.BOOL, Type.STR, Type.UNIT].some((t) =>
    fullTypeEquals(r, { type: t, elemType: Type.INVALID, structId: 0 }),
  );
  if (!okResult) cx.error(10, ei, undefined, undefined, `entry result type ${cx.type(r)} is not i64, f64, bool, str or unit`);
}

/** Rules 1–6: IDs, ownership, phi placement and pairs, params, terminators. */
function checkStructure(cx: Context, fi: number): FuncFacts {
  const f = cx.p.functions[fi]!;
  const nv = f.values.length;
  const nb = f.blocks.length;
  // Rule 1.
  f.values.forEach((v, i) => {
    if (v.id !== i) cx.error(1, fi, undefined, i, `value at index ${i} has id ${v.id}`);
  });
  f.blocks.forEach((b, i) => {
    if (b.id !== i) cx.error(1, fi, i, undefined, `block at index ${i} has id ${b.id}`);
  });
  if (nb === 0) cx.error(1, fi, undefined, undefined, "function has no blocks");
  // Rule 2.
  const owner: (number | undefined)[] = new Array<number | undefined>(nv).fill(undefined);
  const index: (number | undefined)[] = new Array<number | undefined>(nv).fill(undefined);
  f.blocks.forEach((b, bi) => {
    b.values.forEach((id, k) => {
      if (id >= nv) {
        cx.error(2, fi, bi, undefined, `lists v${id}, which is not a value (${nv} values)`);
        return;
      }
      const o = owner[id];
      if (o !== undefined) {
        cx.error(2, fi, bi, id, o === bi ? `listed twice in b${bi}` : `listed in b${o} and in b${bi}`);
        return;
      }
      owner[id] = bi;
      index[id] = k;
    });
  });
  owner.forEach((o, id) => {
    if (o === undefined) cx.error(2, fi, undefined, id, "is listed in no block");
  });
  const preds = predecessors(f);
  f.blocks.forEach((b, bi) => {
    // Rule 3.
    let nonPhi: number | undefined;
    for (const id of b.values) {
      const v = f.values[id];
      if (v === undefined || owner[id] !== bi) continue;
      if (v.op !== OpCode.PHI) nonPhi ??= id;
      else if (nonPhi !== undefined) cx.error(3, fi, bi, id, `phi after non-phi v${nonPhi}`);
    }
    // Rule 4.
    const bp = preds[bi] ?? [];
    for (const id of b.values) {
      const v = f.values[id];
      if (v === undefined || v.op !== OpCode.PHI || owner[id] !== bi) continue;
      if (v.args.length % 2 !== 0) {
        cx.error(4, fi, bi, id, `phi has ${v.args.length} args, want (pred, src) pairs`);
        continue;
      }
      const named = new Set<number>();
      for (let k = 0; k + 1 < v.args.length; k += 2) {
        const pred = v.args[k]!;
        const src = v.args[k + 1]!;
        if (!bp.includes(pred)) cx.error(4, fi, bi, id, `phi names b${pred}, which is not a predecessor of b${bi}`);
        else if (named.has(pred)) cx.error(4, fi, bi, id, `phi names predecessor b${pred} twice`);
        named.add(pred);
        if (src >= nv) cx.error(4, fi, bi, id, `phi src v${src} for b${pred} is not a value`);
      }
      const distinct = [...new Set(bp)];
      if (v.args.length / 2 !== bp.length) {
        cx.error(4, fi, bi, id, `phi has ${v.args.length / 2} incoming pairs, want ${bp.length} (one per predecessor)`);
      }
      for (const pd of distinct) {
        if (!named.has(pd)) cx.error(4, fi, bi, id, `phi has no incoming value for predecessor b${pd}`);
      }
    }
  });
  // Rule 5.
  f.params.forEach((id, k) => {
    if (id !== k) cx.error(5, fi, undefined, undefined, `params[${k}] is v${id}, want v${k} (params are 0..k-1)`);
  });
  const k = f.params.length;
  for (let id = 0; id < k; id++) {
    const v = f.values[id];
    if (v === undefined) {
      cx.error(5, fi, undefined, undefined, `parameter v${id} is not a value`);
      continue;
    }
    if (v.op !== OpCode.PARAM) cx.error(5, fi, owner[id], id, "parameter value does not have op PARAM");
    if (f.blocks[0]?.values[id] !== id) cx.error(5, fi, 0, id, `parameter v${id} is not entry ${id} of b0's values`);
  }
  f.values.forEach((v, id) => {
    if (v.op === OpCode.PARAM && id >= k) cx.error(5, fi, owner[id], id, `op PARAM but not a parameter (${k} params)`);
  });
  // Rule 6.
  const result = resultType(f);
  f.blocks.forEach((b, bi) => {
    const t = b.term;
    const bad = (msg: string): void => cx.error(6, fi, bi, undefined, msg, "term");
    switch (t.kind) {
      case TermKind.JUMP:
        if (t.target >= nb) bad(`jump target b${t.target} is not a block`);
        break;
      case TermKind.BRANCH: {
        if (t.ifTrue >= nb) bad(`branch target b${t.ifTrue} is not a block`);
        if (t.ifFalse >= nb) bad(`branch target b${t.ifFalse} is not a block`);
        if (t.ifTrue === t.ifFalse) bad(`branch has the same target b${t.ifTrue} twice`);
        const c = f.values[t.value];
        if (c === undefined) bad(`branch condition v${t.value} is not a value`);
        else if (!(c.type === Type.BOOL && c.elemType === Type.INVALID && c.structId === 0)) {
          bad(`branch condition v${t.value} has type ${cx.type(c)}, want bool`);
        }
        break;
      }
      case TermKind.RETURN: {
        const r = f.values[t.value];
        const ok = (r !== undefined && fullTypeEquals(r, result)) || (f.result === Type.UNIT && t.value === 0);
        if (!ok) {
          if (r === undefined) bad(`return v${t.value} is not a value`);
          else bad(`return v${t.value} has type ${cx.type(r)}, want ${cx.type(result)}`);
        }
        break;
      }
      case TermKind.UNREACHABLE:
        break;
      default:
        bad(t.kind === TermKind.INVALID ? "terminator kind is INVALID" : `unknown terminator kind ${t.kind}`);
    }
  });
  return { fi, f, owner, index, preds };
}

/** Rule 14: stored succs/preds agree with the terminators; block 0 has no preds. */
function checkCfg(cx: Context, facts: FuncFacts): void {
  const { fi, f, preds } = facts;
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const list = (a: number[]): string => `[${a.map((x) => `b${x}`).join(", ")}]`;
  f.blocks.forEach((b, bi) => {
    const succs = termTargets(b.term);
    if (!same(b.succs, succs)) cx.error(14, fi, bi, undefined, `succs ${list(b.succs)}, want ${list(succs)} (the terminator's targets)`, "term");
    const want = preds[bi] ?? [];
    if (!same(b.preds, want)) cx.error(14, fi, bi, undefined, `preds ${list(b.preds)}, want ${list(want)}`);
  });
  const p0 = preds[0] ?? [];
  if (p0.length > 0) cx.error(14, fi, 0, undefined, `entry block b0 has predecessors ${list(p0)}`);
}
