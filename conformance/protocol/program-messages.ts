// TypeScript shapes of program.proto's vector messages and testee.proto's
// ProgramRun / ProgramOutcome, in the plain form of strict-json.ts. The IR
// Program itself is compiler3-emit/src/ir/model.ts.
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import type { HeapConfig, TrapName } from "./messages.ts";

/** program.proto ProgramExpect: exactly one member is present. */
export interface ProgramExpect {
  i64?: bigint;
  f64?: number;
  f64Bits?: bigint;
  bool?: boolean;
  str?: string;
  unit?: boolean;
  trap?: TrapName;
  /** The time limit ends the run (embedding.md §7.2); always true when present. */
  timeout?: boolean;
}

export interface ProgramVector {
  name?: string;
  description?: string;
  program?: string;
  entry?: string;
  args?: bigint[];
  expect?: ProgramExpect;
  /** The run's time limit in ms; absent or 0: the runner's (--timeout). */
  timeoutMs?: number;
  /** Needs more stack than a browser worker has (embedding.md §7.3): the chromium backends skip it. */
  needsLargeStack?: boolean;
  /** The heap's limits and variant (conformance.md §6.5); absent, or an unspecified variant: AUTO. */
  heap?: HeapConfig;
}

export interface ProgramVectorFile {
  suite?: string;
  programs?: ProgramVector[];
}

export interface ProgramRun {
  program: Program;
  entry?: string;
  args?: bigint[];
  heap?: HeapConfig;
  /** The program as a handle-ABI module (handle-abi.md §10), for testees that run it (the Go testee). */
  wasm?: Uint8Array;
  /** The run's time limit in ms from the end of compilation (embedding.md §7.2); absent or 0: none. */
  timeoutMs?: number;
}

/** testee.proto ProgramOutcome: at most one of the outcome members is present. */
export interface ProgramOutcome {
  i64?: bigint;
  f64Bits?: bigint;
  bool?: boolean;
  str?: string;
  unit?: boolean;
  trap?: TrapName;
  /** The time limit ended the run after this many ms. */
  timedOutAfterMs?: number;
  trapSite?: string;
  error?: string;
}
