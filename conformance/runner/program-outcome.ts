// A program run's RunResult (ts-runtime/src/interp/run.ts; the WasmGC runner
// returns the same shape) as the testee protocol's ProgramOutcome
// (testee.proto), shared by the in-process program backends so that they
// report alike and run.ts's cross-backend comparison compares results, not
// spellings.
import type { RunResult } from "../../ts-runtime/src/interp/run.ts";
import type { TrapName } from "../protocol/messages.ts";
import type { ProgramOutcome } from "../protocol/program-messages.ts";

const CANONICAL_NAN = 0x7ff8_0000_0000_0000n;

export function programOutcome(r: RunResult): ProgramOutcome {
  if (r.kind === "trap") {
    const site = trapSite(r);
    // trapName gives the proto name (TrapCode is numbered as trap.proto), or
    // TRAP_<n> for a code outside the enum, which the judge then reports.
    return site === "" ? { trap: r.name as TrapName } : { trap: r.name as TrapName, trapSite: site };
  }
  const v = r.value;
  switch (v.type) {
    case "i64":
      return { i64: v.i64 };
    case "f64":
      return { f64Bits: reportedBits(v.bits) };
    case "bool":
      return { bool: v.bool };
    case "str":
      return { str: v.str };
    case "unit":
      return { unit: true };
  }
}

/**
 * The bits an f64 result is reported as: its IEEE pattern as an unsigned
 * fixed64, every NaN as the canonical NaN (ir.md §8.9, testee.proto).
 */
function reportedBits(bits: bigint): bigint {
  const u = BigInt.asUintN(64, bits);
  const isNan = (u & 0x7ff0_0000_0000_0000n) === 0x7ff0_0000_0000_0000n && (u & 0x000f_ffff_ffff_ffffn) !== 0n;
  return isNan ? CANONICAL_NAN : u;
}

/**
 * Where a trap happened, in the validator's notation (ir.md §8.11:
 * `func NAME: bK: vN`), leaving out what the backend does not know (an empty
 * function name, block or value -1). For people only: testee.proto's
 * trap_site is not compared.
 */
export function trapSite(r: Extract<RunResult, { kind: "trap" }>): string {
  const parts: string[] = [];
  if (r.function !== "") parts.push(`func ${r.function}`);
  if (r.block >= 0) parts.push(`b${r.block}`);
  if (r.value >= 0) parts.push(`v${r.value}`);
  return parts.join(": ");
}
