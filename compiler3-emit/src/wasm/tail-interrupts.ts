// Interrupt checks for cycles of tail calls between functions (embedding.md
// §7.2), for both targets (WasmGC, wasmgc.md §9.2; handle ABI, handle-abi.md
// §10.6): every function that still contains a `return_call` once binaryen
// has optimised the module gets its body wrapped in a `loop` with no
// back-edge.
//
// Why: a cycle of mutual `return_call`s has no loop and no non-tail call, and
// the engines put their interrupt checks only there — V8's optimising tier
// (TurboFan) drops the function-entry stack check of a function without a
// non-tail call (Liftoff keeps it), so Worker.terminate never stopped such a
// cycle; wazero's WithCloseOnContextDone checks at loop headers only. All
// three check at a loop header on entry, even a loop nothing branches back
// to (measured: Node 24 with --no-liftoff and by default, wazero v1.12's
// compiler and interpreter; wazero's interpreter documents it). A real loop
// with a conditional back-edge did not work in TurboFan; a loop without one
// is what binaryen's optimiser deletes, so the wrapping comes after it, on
// the optimised module: inlining may also have moved a return_call into a
// function the IR did not write it in.
//
// Cost: on V8 about 0.1 ns per tail call (an even/odd cycle of 2·10^8
// return_calls: 0.30 → 0.41 ns per call); under wazero one context check
// per call, what a loop iteration pays (bench:ops's empty loop).
import type { Program } from "../ir/model.ts";
import { OpCode } from "../ir/model.ts";
import { binaryen } from "./binaryen.ts";

/**
 * Wraps the body of every function of `m` that contains a return_call
 * (return_call, return_call_indirect or return_call_ref) in a loop without
 * back-edge; returns those functions' names. The functions are found in the
 * module's text, which names each one and prints every tail call as
 * `return_call…`: binaryen.js exposes no generic walk over an expression's
 * children.
 */
export function keepTailCallInterrupts(m: binaryen.Module, program: Program): string[] {
  const wrapped: string[] = [];
  // The emitters make a return_call only of a tail call to another function
  // (a self tail call is a branch) and binaryen makes none: without one in
  // the IR, the module has none, and its text need not be printed.
  const mutual = program.functions.some((f, i) => f.values.some((v) => v.op === OpCode.TAIL_CALL && Number(v.const) !== i));
  if (!mutual) return wrapped;
  for (const chunk of m.emitText().split("\n (func ").slice(1)) {
    if (!/\(return_call/.test(chunk)) continue;
    const name = /^\$(\S+)/.exec(chunk)?.[1];
    const f = name === undefined ? 0 : m.getFunction(name);
    if (f === 0) throw new Error(`tail-call interrupts: no function named by ${JSON.stringify(chunk.slice(0, 60))}`);
    setFunctionBody(f, m.loop(null, binaryen.getFunctionInfo(f).body));
    wrapped.push(name!);
  }
  return wrapped;
}

/** binaryen.js's `Function.setBody`, which its typings declare on Module instances, where it is not. */
export function setFunctionBody(f: binaryen.FunctionRef, body: binaryen.ExpressionRef): void {
  (binaryen as unknown as { Function: { setBody(f: binaryen.FunctionRef, body: binaryen.ExpressionRef): void } }).Function.setBody(f, body);
}
