// The run controls' data: the arguments field's parsing, the entry choices
// of a program, and the vector presets of the chosen corpus program.

import { isEntryShaped } from "../../src/ir/entry.ts";
import type { Program } from "../../src/ir/model.ts";
import type { CorpusPreset } from "../corpus-index.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** "10" or "3, -4": one int64 per parameter, separated by commas or spaces. */
export function parseArgs(text: string): { ok: true; args: bigint[] } | { ok: false; message: string } {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  const args: bigint[] = [];
  for (const p of parts) {
    if (!/^[+-]?\d+$/.test(p)) return { ok: false, message: `"${p}" is not an integer` };
    const v = BigInt(p);
    if (v < INT64_MIN || v > INT64_MAX) return { ok: false, message: `${p} is outside int64` };
    args.push(v);
  }
  return { ok: true, args };
}

export interface EntryChoice {
  /** What a RunRequest names; "" is the program's entry. */
  readonly value: string;
  readonly label: string;
}

/** The program's entry first (as ""), then every other entry-shaped function (ir.md §8.9). */
export function entryChoices(program: Program): EntryChoice[] {
  const sig = (i: number) => {
    const f = program.functions[i]!;
    return `${f.name}(${f.params.map((id) => `v${id}`).join(", ")})`;
  };
  const main = program.functions.findIndex((f) => f.name === program.entry);
  const out: EntryChoice[] = [{ value: "", label: main < 0 ? `@${program.entry}` : `${sig(main)} — entry` }];
  program.functions.forEach((f, i) => {
    if (i !== main && isEntryShaped(program, i)) out.push({ value: f.name, label: sig(i) });
  });
  return out;
}

/** The preset these inputs are, if any (same entry, same argument values). */
export function matchingPreset(presets: readonly CorpusPreset[], entry: string, programEntry: string, args: readonly bigint[]): CorpusPreset | undefined {
  const norm = (e: string) => (e === "" || e === programEntry ? "" : e);
  return presets.find((p) => norm(p.entry) === norm(entry) && p.args.length === args.length && p.args.every((a, i) => BigInt(a) === args[i]));
}

export function presetLabel(p: CorpusPreset): string {
  return `${p.name}: (${p.args.join(", ")}) → ${p.expect}`;
}
