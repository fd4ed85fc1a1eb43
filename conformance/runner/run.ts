// Running vector files on backends and turning answers into cases: judged
// against the vectors (judge.ts) and compared across backends, so two
// implementations that both pass but observe different things still fail.
import type { AbiVector, GoldenCell, HeapConfig, Outcome, TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { Backend } from "./backend.ts";
import type { CaseResult } from "./cases.ts";
import { describe, judgeGolden, judgeVector, sameOutcome } from "./judge.ts";
import type { VectorFile } from "./vector-files.ts";
import type { ProgramCache } from "./program-files.ts";
import { describeProgramOutcome, judgeProgram } from "./program-judge.ts";
import type { ProgramVector } from "../protocol/program-messages.ts";

export interface Progress {
  (line: string): void;
}

export async function runFile(file: VectorFile, all: readonly Backend[], programs: ProgramCache, progress: Progress): Promise<CaseResult[]> {
  const started = performance.now();
  const backends = all.filter((b) => b.kinds.has(file.kind));
  const cases =
    file.kind === "abi"
      ? await runAbiFile(file, backends)
      : file.kind === "golden"
        ? await runGoldenFile(file, backends)
        : await runProgramFile(file, backends, programs);
  const summary = backends
    .map((b) => {
      const mine = cases.filter((c) => c.backend === b.name);
      const skipped = mine.filter((c) => c.status === "skipped").length;
      return `${b.name} ${mine.filter((c) => c.status === "passed").length}/${mine.length}${skipped > 0 ? ` (${skipped} skipped)` : ""}`;
    })
    .join(", ");
  if (backends.length === 0) {
    progress(`${file.suite} (${file.path}): not run (no selected backend runs ${file.kind} vectors)`);
    return cases;
  }
  progress(`${file.suite} (${file.path}): ${summary} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return cases;
}

/**
 * A backend's answer as a promise that rejects, never throws: a backend whose
 * serve throws synchronously fails its case like one that rejects, instead of
 * stopping the run.
 */
async function ask(backend: Backend, request: TesteeRequest): Promise<TesteeResponse> {
  return backend.serve(request);
}

async function runAbiFile(file: Extract<VectorFile, { kind: "abi" }>, backends: readonly Backend[]): Promise<CaseResult[]> {
  const cases: CaseResult[] = [];
  for (const [index, vector] of (file.file.vectors ?? []).entries()) {
    const name = vector.name || `vector #${index}`;
    // Every backend gets the request before any answer is awaited, so an
    // out-of-process testee works while the in-process one does.
    const answers = await Promise.allSettled(backends.map((b) => ask(b, { vector })));
    const traces: (Outcome[] | undefined)[] = [];
    answers.forEach((answer, i) => {
      const backend = backends[i]!.name;
      const result = judgeAnswer(vector, answer);
      traces.push(result.outcomes);
      cases.push({ suite: file.suite, name, backend, status: result.passed ? "passed" : "failed", detail: result.detail });
    });
    markDisagreements(cases.slice(-backends.length), traces, backends);
  }
  return cases;
}

function judgeAnswer(vector: AbiVector, answer: PromiseSettledResult<TesteeResponse>): { passed: boolean; detail: string; outcomes?: Outcome[] } {
  if (answer.status === "rejected") return { passed: false, detail: `backend failed: ${(answer.reason as Error).message}` };
  const trace = answer.value.trace;
  if (trace === undefined) {
    return { passed: false, detail: answer.value.protocolError ? `protocol error: ${answer.value.protocolError}` : "answer has no trace" };
  }
  const verdict = judgeVector(vector, trace);
  return { ...verdict, outcomes: trace.outcomes ?? [] };
}

/** The first backend with a trace is the reference; the others must observe the same at every step. */
function markDisagreements(cases: CaseResult[], traces: (Outcome[] | undefined)[], backends: readonly Backend[]): void {
  const ref = traces.findIndex((t) => t !== undefined);
  if (ref < 0) return;
  const reference = traces[ref]!;
  traces.forEach((trace, i) => {
    if (i === ref || trace === undefined || cases[i]!.status !== "passed") return;
    const n = Math.max(trace.length, reference.length);
    for (let s = 0; s < n; s++) {
      const a = reference[s];
      const b = trace[s];
      if (a === undefined || b === undefined || !sameOutcome(a, b)) {
        cases[i]!.status = "failed";
        cases[i]!.detail = `disagrees with ${backends[ref]!.name} at step ${s}: ${b ? describe(b) : "nothing"} vs ${a ? describe(a) : "nothing"}`;
        return;
      }
    }
  });
}

async function runGoldenFile(file: Extract<VectorFile, { kind: "golden" }>, backends: readonly Backend[]): Promise<CaseResult[]> {
  const cells = file.file.cells ?? [];
  const encodeIndex: number[] = [];
  const decodeIndex: number[] = [];
  cells.forEach((c, i) => {
    if (c.value !== undefined) encodeIndex.push(i);
    if (c.bits !== undefined) decodeIndex.push(i);
  });
  const golden = {
    encode: encodeIndex.map((i) => cells[i]!.value!),
    decode: decodeIndex.map((i) => cells[i]!.bits!),
  };
  const answers = await Promise.allSettled(backends.map((b) => ask(b, { golden })));
  const cases: CaseResult[] = [];
  answers.forEach((answer, b) => {
    const backend = backends[b]!.name;
    cells.forEach((cell: GoldenCell, i) => {
      const name = cell.name || `cell #${i}`;
      if (answer.status === "rejected") {
        cases.push({ suite: file.suite, name, backend, status: "failed", detail: `backend failed: ${(answer.reason as Error).message}` });
        return;
      }
      const result = answer.value.golden;
      if (result === undefined) {
        cases.push({ suite: file.suite, name, backend, status: "failed", detail: `protocol error: ${answer.value.protocolError ?? "no golden result"}` });
        return;
      }
      const e = encodeIndex.indexOf(i);
      const d = decodeIndex.indexOf(i);
      const verdict = judgeGolden(cell, e >= 0 ? result.encoded?.[e] : undefined, d >= 0 ? result.decoded?.[d] : undefined);
      cases.push({ suite: file.suite, name, backend, status: verdict.passed ? "passed" : "failed", detail: verdict.detail });
    });
  });
  return cases;
}

/**
 * Program vectors (conformance.md §6.5): each program runs on a fresh AUTO
 * heap; a program that does not load or validate fails on every backend.
 * A backend may leave a vector out with a reason (Backend.skipProgram; ir.md
 * §8.10's OUT_OF_MEMORY rule): it is reported as skipped and takes no part in
 * the comparison. The backends that ran must agree with each other on what
 * they observed.
 */
async function runProgramFile(file: Extract<VectorFile, { kind: "program" }>, backends: readonly Backend[], programs: ProgramCache): Promise<CaseResult[]> {
  const cases: CaseResult[] = [];
  for (const [index, vector] of (file.file.programs ?? []).entries()) {
    const name = vector.name || `program #${index}`;
    const loaded = programs.load(file.absolutePath, vector.program ?? "");
    if ("error" in loaded) {
      for (const b of backends) cases.push({ suite: file.suite, name, backend: b.name, status: "failed", detail: loaded.error });
      continue;
    }
    const run = {
      program: loaded.program,
      entry: vector.entry ?? "",
      args: vector.args ?? [],
      heap: vectorHeap(vector),
      // embedding.md §7.2: a vector's own limit; without one each backend applies the runner's --timeout.
      ...(vector.timeoutMs ? { timeoutMs: vector.timeoutMs } : {}),
    };
    const skips = backends.map((b) => skipReason(b, vector));
    // A skipping backend is not asked; its placeholder answer is never read.
    const answers = await Promise.allSettled(backends.map((b, i) => (skips[i] === undefined ? ask(b, { program: run }) : Promise.resolve<TesteeResponse>({}))));
    const seen: (string | undefined)[] = [];
    answers.forEach((answer, i) => {
      const backend = backends[i]!.name;
      const skip = skips[i];
      if (skip !== undefined) {
        seen.push(undefined);
        if (typeof skip === "string") cases.push({ suite: file.suite, name, backend, status: "skipped", detail: skip });
        else cases.push({ suite: file.suite, name, backend, status: "failed", detail: `backend failed: skipProgram threw ${skip.error.message}` });
        return;
      }
      if (answer.status === "rejected") {
        seen.push(undefined);
        cases.push({ suite: file.suite, name, backend, status: "failed", detail: `backend failed: ${(answer.reason as Error).message}` });
        return;
      }
      const outcome = answer.value.program;
      if (outcome === undefined) {
        seen.push(undefined);
        const why = answer.value.protocolError ? `protocol error: ${answer.value.protocolError}` : "answer has no program outcome";
        cases.push({ suite: file.suite, name, backend, status: "failed", detail: why });
        return;
      }
      // The trap site is for people; agreement compares what the spec fixes.
      seen.push(describeProgramOutcome({ ...outcome, trapSite: "" }));
      const verdict = judgeProgram(vector.expect, outcome);
      cases.push({ suite: file.suite, name, backend, status: verdict.passed ? "passed" : "failed", detail: verdict.detail });
    });
    const mine = cases.slice(-backends.length);
    const ref = seen.findIndex((s) => s !== undefined);
    seen.forEach((s, i) => {
      if (i !== ref && s !== undefined && ref >= 0 && s !== seen[ref] && mine[i]!.status === "passed") {
        mine[i]!.status = "failed";
        mine[i]!.detail = `disagrees with ${backends[ref]!.name}: ${s} vs ${seen[ref]}`;
      }
    });
  }
  return cases;
}

/** A backend's reason to skip `vector`, undefined to run it, or what its skipProgram threw. */
/** The heap a program vector runs on (conformance.md §6.5): its own config, AUTO unless it names a variant. */
export function vectorHeap(vector: ProgramVector): HeapConfig {
  const heap = vector.heap ?? {};
  const variant = heap.variant === undefined || heap.variant === "VARIANT_UNSPECIFIED" ? "AUTO" : heap.variant;
  return { ...heap, variant };
}

function skipReason(backend: Backend, vector: ProgramVector): string | { error: Error } | undefined {
  try {
    return backend.skipProgram?.(vector);
  } catch (e) {
    return { error: e instanceof Error ? e : new Error(String(e)) };
  }
}
