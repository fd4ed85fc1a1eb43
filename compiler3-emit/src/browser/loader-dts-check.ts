// Keeps vm3-loader.d.ts (hand-written, shipped in every build folder) equal
// to what loader.ts exports: `tsc -p tsconfig.json` (npm run typecheck, part
// of npm test) fails here when either changes without the other. Each check
// requires assignability both ways, so a missing, extra or retyped member on
// either side is an error. Type-only: nothing of this runs.
import type * as Real from "./loader.ts";
import type * as Decl from "./vm3-loader.d.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type LoaderDtsInSync = [
  Check<Same<Real.Engine, Decl.Engine>>,
  Check<Same<Real.Prefer, Decl.Prefer>>,
  Check<Same<Real.ProbeName, Decl.ProbeName>>,
  Check<Same<Real.ProbeResults, Decl.ProbeResults>>,
  Check<Same<Real.HeapConfig, Decl.HeapConfig>>,
  Check<Same<Real.LoadOptions, Decl.LoadOptions>>,
  Check<Same<Required<Real.LoadOptions>, Required<Decl.LoadOptions>>>,
  Check<Same<Required<Real.RunOptions>, Required<Decl.RunOptions>>>,
  Check<Same<Real.EntryInfo, Decl.EntryInfo>>,
  Check<Same<Real.Detection, Decl.Detection>>,
  Check<Same<Real.ResultValue, Decl.ResultValue>>,
  Check<Same<Real.RunResult, Decl.RunResult>>,
  Check<Same<Real.RunHeapCounters, Decl.RunHeapCounters>>,
  Check<Same<Real.FinishedRun, Decl.FinishedRun>>,
  Check<Same<Required<Real.FinishedRun>, Required<Decl.FinishedRun>>>,
  Check<Same<Real.TimedOutRun, Decl.TimedOutRun>>,
  Check<Same<Real.RefusedRun, Decl.RefusedRun>>,
  Check<Same<Real.RunOutcome, Decl.RunOutcome>>,
  Check<Same<Real.LoadedProgram, Decl.LoadedProgram>>,
  Check<Same<typeof Real.FILES, typeof Decl.FILES>>,
  Check<Same<typeof Real.DEFAULT_TIMEOUT_MS, typeof Decl.DEFAULT_TIMEOUT_MS>>,
  Check<Same<typeof Real.detect, typeof Decl.detect>>,
  Check<Same<typeof Real.load, typeof Decl.load>>,
  Check<Same<typeof Real.formatOutcome, typeof Decl.formatOutcome>>,
  Check<Same<keyof typeof Real, keyof typeof Decl>>,
];
