// Keeps vm3-bindings.d.ts (hand-written, written into every bindings
// folder) in step with what instantiate.ts exports: `tsc -p tsconfig.json`
// (part of npm test) fails here when either changes without the other. The
// runtime's own types are wider than the declared ones where the declaration
// shows a slice (Heap), so values are checked one way — the real one usable
// as the declared one — and options both ways. Type-only: nothing runs.
import type * as Real from "./instantiate.ts";
import type * as Decl from "./vm3-bindings.d.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Usable<R, D> = [R] extends [D] ? true : false;
type Check<T extends true> = T;

export type BindingsDtsInSync = [
  Check<Same<Real.Engine, Decl.Engine>>,
  Check<Same<Required<Real.InstantiateOptions>["target"], Required<Decl.InstantiateOptions>["target"]>>,
  Check<Same<Required<Real.InstantiateOptions>["probeOverride"], Required<Decl.InstantiateOptions>["probeOverride"]>>,
  Check<Same<Required<Real.InstantiateOptions>["host"], Required<Decl.InstantiateOptions>["host"]>>,
  Check<Same<Required<Real.InstantiateOptions>["heap"], Required<Decl.InstantiateOptions>["heap"]>>,
  Check<Same<keyof Real.InstantiateOptions, keyof Decl.InstantiateOptions>>,
  Check<Same<Real.ModuleSources, Decl.ModuleSources>>,
  Check<Usable<Real.BoundProgram, Decl.BoundProgram>>,
  Check<Usable<typeof Real.instantiateBound, typeof Decl.instantiateBound>>,
  Check<Usable<Real.Vm3Ref, Decl.Vm3Ref>>,
  Check<Usable<Real.ListRef<bigint>, Decl.ListRef<bigint>>>,
  Check<Usable<Real.MapRef, Decl.MapRef>>,
  Check<Usable<Real.Trap, Decl.Trap>>,
  Check<Usable<typeof Real.TrapCode, typeof Decl.TrapCode>>,
  Check<Same<keyof typeof Real, keyof typeof Decl>>,
];
