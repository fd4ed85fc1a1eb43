// Judging a backend's outcomes against a vector's expectations
// (conformance.md §6.2, §6.3). Messages name the step and say what was
// expected and what came.
import { formatCell, type Cell } from "../../ts-runtime/src/cell.ts";
import { resolveCell } from "../protocol/cell-value.ts";
import type {
  AbiVector,
  CellValue,
  DecodeOutcome,
  EncodeOutcome,
  Expect,
  GoldenCell,
  Outcome,
  Stats,
  StatsExpect,
  Trace,
} from "../protocol/messages.ts";
import { stepLabel, VectorError } from "../protocol/signatures.ts";

export interface Verdict {
  passed: boolean;
  detail: string;
}

const PASS: Verdict = { passed: true, detail: "" };

export function judgeVector(vector: AbiVector, trace: Trace): Verdict {
  const steps = vector.steps ?? [];
  const outcomes = trace.outcomes ?? [];
  const bindings = new Map<string, Cell>();
  const loopBound = new Set<string>();
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const label = stepLabel([i], step.op);
    const outcome = outcomes[i];
    if (outcome === undefined) {
      return fail(trace.error ? `vector error: ${trace.error}` : `${label}: no outcome (the trace has ${outcomes.length})`);
    }
    let problem: string | undefined;
    try {
      problem = judgeStep(step.expect, outcome, bindings, loopBound);
    } catch (e) {
      if (e instanceof VectorError) return fail(`${label}: malformed expectation: ${e.message}`);
      throw e;
    }
    if (problem !== undefined) return fail(`${label}: ${problem}`);
    if (step.bind && outcome.cell !== undefined) {
      bindings.set(step.bind, outcome.cell);
      loopBound.delete(step.bind);
    }
    for (const inner of step.loop?.body ?? []) if (inner.bind) loopBound.add(inner.bind);
  }
  if (trace.error) return fail(`vector error: ${trace.error}`);
  if (outcomes.length > steps.length) return fail(`the trace has ${outcomes.length} outcomes for ${steps.length} steps`);
  return PASS;
}

function judgeStep(expect: Expect | undefined, got: Outcome, bindings: Map<string, Cell>, loopBound: Set<string>): string | undefined {
  const trap = got.trap ?? (got.loop?.trap !== "TRAP_NONE" ? got.loop?.trap : undefined);
  if (expect?.iterations !== undefined && got.loop?.iterations !== expect.iterations) {
    return `expected a loop of ${expect.iterations} iterations, got ${describe(got)}`;
  }
  if (expect?.trap !== undefined) {
    return trap === expect.trap ? undefined : `expected trap ${expect.trap}, got ${describe(got)}`;
  }
  if (trap !== undefined) return `expected no trap, got ${describe(got)}`;
  if (expect?.cell !== undefined) {
    const wanted = expectedCell(expect.cell, bindings, loopBound);
    return got.cell === wanted ? undefined : `expected cell ${formatCell(wanted)}, got ${describe(got)}`;
  }
  if (expect?.int !== undefined) {
    return got.int === expect.int ? undefined : `expected int ${expect.int}, got ${describe(got)}`;
  }
  if (expect?.host !== undefined) {
    return got.host === expect.host ? undefined : `expected host ${JSON.stringify(expect.host)}, got ${describe(got)}`;
  }
  if (expect?.stats !== undefined) {
    return got.stats === undefined ? `expected stats, got ${describe(got)}` : statsMismatch(expect.stats, got.stats);
  }
  return undefined; // ok: completed without a trap
}

function expectedCell(value: CellValue, bindings: Map<string, Cell>, loopBound: Set<string>): Cell {
  const name = value.ref ?? value.forge?.ref;
  if (name !== undefined && loopBound.has(name)) {
    throw new VectorError(`"${name}" is bound inside a loop; expectations may name only top-level bindings`);
  }
  return resolveCell(value, bindings);
}

function statsMismatch(want: StatsExpect, got: Stats): string | undefined {
  const wrong: string[] = [];
  for (const key of ["collections", "slotsFreed", "quarantined", "heapBytes", "pinned", "scopeRoots", "frameRoots"] as const) {
    const w = want[key];
    if (w !== undefined && w !== (got[key] ?? 0n)) wrong.push(`${key} ${got[key] ?? 0n} (expected ${w})`);
  }
  for (const a of want.arenas ?? []) {
    const g = (got.arenas ?? []).find((x) => x.arena === a.arena);
    if (g === undefined) {
      wrong.push(`no stats for ${a.arena}`);
      continue;
    }
    if (a.live !== undefined && a.live !== (g.live ?? 0n)) wrong.push(`${a.arena} live ${g.live ?? 0n} (expected ${a.live})`);
    if (a.total !== undefined && a.total !== (g.total ?? 0n)) wrong.push(`${a.arena} total ${g.total ?? 0n} (expected ${a.total})`);
  }
  return wrong.length === 0 ? undefined : `stats differ: ${wrong.join(", ")}`;
}

/** A one-line description of an outcome. */
export function describe(o: Outcome): string {
  if (o.trap !== undefined) return `trap ${o.trap}`;
  if (o.cell !== undefined) return `cell ${formatCell(o.cell)}`;
  if (o.int !== undefined) return `int ${o.int}`;
  if (o.host !== undefined) return `host ${JSON.stringify(o.host)}`;
  if (o.stats !== undefined) return `stats ${statsText(o.stats)}`;
  if (o.loop !== undefined) {
    const l = o.loop;
    return l.trap !== undefined && l.trap !== "TRAP_NONE"
      ? `loop stopped after ${l.iterations ?? 0n} iterations by trap ${l.trap} at body step ${l.trapStep ?? 0}`
      : `loop completed ${l.iterations ?? 0n} iterations`;
  }
  if (o.done !== undefined) return "done";
  return "an empty outcome";
}

function statsText(s: Stats): string {
  const arenas = (s.arenas ?? []).map((a) => `${(a.arena ?? "").slice(6).toLowerCase()} ${a.live ?? 0n}/${a.total ?? 0n}`);
  return (
    `{live/total ${arenas.join(", ")}; collections ${s.collections ?? 0n}, freed ${s.slotsFreed ?? 0n}, ` +
    `quarantined ${s.quarantined ?? 0n}, bytes ${s.heapBytes ?? 0n}, pinned ${s.pinned ?? 0n}, scope roots ${s.scopeRoots ?? 0n}, frame roots ${s.frameRoots ?? 0n}}`
  );
}

/** Whether two backends' outcomes for one step are the same observation. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return describe(a) === describe(b);
}

export function judgeGolden(cell: GoldenCell, encoded: EncodeOutcome | undefined, decoded: DecodeOutcome | undefined): Verdict {
  const trap = cell.trap !== undefined && cell.trap !== "TRAP_NONE" ? cell.trap : undefined;
  if (cell.value !== undefined && trap === undefined) {
    if (cell.bits === undefined) return fail("a golden value needs bits or a trap");
    if (encoded?.bits !== cell.bits) return fail(`encode: expected ${hex(cell.bits)}, got ${encodeText(encoded)}`);
    if (decoded?.value === undefined) return fail(`decode ${hex(cell.bits)}: expected a value, got trap ${decoded?.trap}`);
    return sameValue(cell.value, decoded.value) ? PASS : fail(`decode ${hex(cell.bits)}: expected ${valueText(cell.value)}, got ${valueText(decoded.value)}`);
  }
  if (cell.value !== undefined) {
    return encoded?.trap === trap ? PASS : fail(`encode: expected trap ${trap}, got ${encodeText(encoded)}`);
  }
  if (cell.bits !== undefined && trap !== undefined) {
    return decoded?.trap === trap ? PASS : fail(`decode ${hex(cell.bits)}: expected trap ${trap}, got ${decoded?.value ? valueText(decoded.value) : "nothing"}`);
  }
  return fail("a golden cell needs value and bits, value and trap, or bits and trap");
}

/**
 * Same kind and same canonical bits. Comparing bits rather than fields also
 * makes a handle whose zero fields the wire omitted equal to one that spells
 * them out.
 */
function sameValue(a: CellValue, b: CellValue): boolean {
  const kind = (v: CellValue) => Object.keys(v).find((k) => (v as Record<string, unknown>)[k] !== undefined);
  return kind(a) === kind(b) && resolveCell(a, NO_BINDINGS) === resolveCell(b, NO_BINDINGS);
}

const NO_BINDINGS: ReadonlyMap<string, Cell> = new Map();

function valueText(v: CellValue): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}

function encodeText(e: EncodeOutcome | undefined): string {
  if (e?.bits !== undefined) return hex(e.bits);
  if (e?.trap !== undefined) return `trap ${e.trap}`;
  return "nothing";
}

export function hex(bits: bigint): string {
  return `0x${bits.toString(16).toUpperCase().padStart(16, "0")}`;
}

function fail(detail: string): Verdict {
  return { passed: false, detail };
}
