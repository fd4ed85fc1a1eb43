// An entry's result as ir.md §8.9 prints it — what `vm3 run` writes, the
// browser loader's formatOutcome shows and the playground displays — in one
// place so the three cannot drift.
import type { ResultValue } from "../../../ts-runtime/src/interp/run.ts";
import { formatF64 } from "../ir/literals.ts";

const CANONICAL_NAN = 0x7ff8_0000_0000_0000n;

/** i64 in decimal; f64 as an ir-text.md literal (every NaN the canonical one, `nan`); bool; str as its text; unit as "". */
export function resultText(v: ResultValue): string {
  switch (v.type) {
    case "i64":
      return String(v.i64);
    case "f64":
      return formatF64(Number.isNaN(v.f64) ? CANONICAL_NAN : BigInt.asIntN(64, v.bits));
    case "bool":
      return String(v.bool);
    case "str":
      return v.str;
    case "unit":
      return "";
  }
}
