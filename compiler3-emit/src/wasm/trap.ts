// The trap channel of an emitted WasmGC module: `import "vm3" "trap" (param i32)`.
// The host's trap function throws (a JS error carrying the code), so a test
// runner compares vm3 trap codes (trap.proto), not engine messages. The call
// is followed by `unreachable` so that validation knows control never
// continues, and so that a host whose trap function returns still stops.

import { binaryen } from "./binaryen.ts";
import { TrapCode } from "../../../ts-runtime/src/trap.ts";

export { TrapCode };

/** Internal name of the imported trap function. */
export const TRAP_IMPORT = "vm3.trap";

/** Adds the trap import to `module` (once). */
export function addTrapImport(module: binaryen.Module): void {
  if (module.getFunction(TRAP_IMPORT) !== 0) return;
  module.addFunctionImport(TRAP_IMPORT, "vm3", "trap", binaryen.i32, binaryen.none);
}

/** `(call $vm3.trap (i32.const code)) (unreachable)`: an expression of type unreachable. */
export function emitTrap(module: binaryen.Module, code: number): binaryen.ExpressionRef {
  return module.block(
    null,
    [module.call(TRAP_IMPORT, [module.i32.const(code)], binaryen.none), module.unreachable()],
    binaryen.unreachable,
  );
}

/** `if (cond) trap(code)`: an expression of type none. */
export function trapIf(module: binaryen.Module, cond: binaryen.ExpressionRef, code: number): binaryen.ExpressionRef {
  return module.if(cond, emitTrap(module, code));
}
