// Judging a program run (conformance.md §6.5).
import { cellFromF64 } from "../../ts-runtime/src/cell.ts";
import type { ProgramExpect, ProgramOutcome } from "../protocol/program-messages.ts";
import { hex, type Verdict } from "./judge.ts";

export function judgeProgram(expect: ProgramExpect | undefined, got: ProgramOutcome): Verdict {
  if (got.error) return { passed: false, detail: `the run could not start: ${got.error}` };
  const fail = (wanted: string) => ({ passed: false, detail: `expected ${wanted}, got ${describeProgramOutcome(got)}` });
  if (expect === undefined) return { passed: false, detail: "the vector has no expect" };
  if (expect.timeout !== undefined) return got.timedOutAfterMs !== undefined ? PASS : fail("timeout");
  if (expect.trap !== undefined) return got.trap === expect.trap ? PASS : fail(`trap ${expect.trap}`);
  if (expect.i64 !== undefined) return got.i64 === expect.i64 ? PASS : fail(`i64 ${expect.i64}`);
  if (expect.f64Bits !== undefined) return got.f64Bits === expect.f64Bits ? PASS : fail(`f64 ${hex(expect.f64Bits)}`);
  if (expect.f64 !== undefined) {
    if (got.f64Bits === undefined) return fail(`f64 ${expect.f64}`);
    const value = f64FromBits(got.f64Bits);
    const same = Number.isNaN(expect.f64) ? Number.isNaN(value) : Object.is(value, expect.f64);
    return same ? PASS : fail(`f64 ${expect.f64}`);
  }
  if (expect.bool !== undefined) return got.bool === expect.bool ? PASS : fail(`bool ${expect.bool}`);
  if (expect.str !== undefined) return got.str === expect.str ? PASS : fail(`str ${JSON.stringify(expect.str)}`);
  if (expect.unit !== undefined) return got.unit === true ? PASS : fail("unit");
  return { passed: false, detail: "the vector's expect is empty" };
}

const PASS: Verdict = { passed: true, detail: "" };

export function describeProgramOutcome(o: ProgramOutcome): string {
  if (o.timedOutAfterMs !== undefined) return "timeout";
  if (o.trap !== undefined) return `trap ${o.trap}${o.trapSite ? ` at ${o.trapSite}` : ""}`;
  if (o.i64 !== undefined) return `i64 ${o.i64}`;
  if (o.f64Bits !== undefined) return `f64 ${f64FromBits(o.f64Bits)} (${hex(o.f64Bits)})`;
  if (o.bool !== undefined) return `bool ${o.bool}`;
  if (o.str !== undefined) return `str ${JSON.stringify(o.str)}`;
  if (o.unit !== undefined) return "unit";
  if (o.error) return `error: ${o.error}`;
  return "nothing";
}

const scratch = new DataView(new ArrayBuffer(8));

function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** The bits an f64 result travels as (ir.md §8.9: every NaN canonical). */
export function f64Bits(x: number): bigint {
  return cellFromF64(x);
}
