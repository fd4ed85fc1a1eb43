// Asserting that an operation traps with a given code.
import { expect } from "vitest";
import { Trap, type TrapCode, trapName } from "../src/index.ts";

/** Runs `f`, which must throw a Trap with `code`; → the Trap. */
export function expectTrap(f: () => unknown, code: TrapCode): Trap {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof Trap)) throw new Error(`expected trap ${trapName(code)}, got ${thrown === undefined ? "no error" : String(thrown)}`);
  expect(trapName(thrown.code)).toBe(trapName(code));
  return thrown;
}
