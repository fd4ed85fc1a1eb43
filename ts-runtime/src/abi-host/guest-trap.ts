// The `trap(code)` import (handle-abi.md §10.2, §10.4): the guest raises a
// trap of its own checks (INT_OVERFLOW when boxing, DIVIDE_BY_ZERO,
// WRONG_TYPE, UNREACHABLE).

import { Trap, TrapCode, trapName } from "../trap.ts";

/** Throws the Trap with `code` (read as unsigned); a code outside traps.md's enum is BAD_ARGUMENT (§10.3). */
export function guestTrap(code: number): never {
  const c = code >>> 0;
  if (c === TrapCode.TRAP_NONE || trapName(c).startsWith("TRAP_")) {
    throw new Trap(TrapCode.BAD_ARGUMENT, "trap", `trap code ${c} is not a vm3 trap code`);
  }
  throw new Trap(c as TrapCode, "trap", "raised by the guest");
}
