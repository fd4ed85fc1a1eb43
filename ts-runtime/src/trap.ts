// The closed trap-code enum and the error that carries it (traps.md §5).

/**
 * Trap codes, numbered as `vm3.v1.TrapCode` in proto/vm3/v1/trap.proto (a test
 * holds the two together). An `as const` object rather than an `enum` so that
 * Node can run this file by type stripping alone.
 */
export const TrapCode = {
  TRAP_NONE: 0,
  NOT_A_HANDLE: 1,
  BAD_CELL: 2,
  WRONG_ARENA: 3,
  STALE_HANDLE: 4,
  OUT_OF_BOUNDS: 5,
  NULL_DEREF: 6,
  INT_OVERFLOW: 7,
  OUT_OF_MEMORY: 8,
  SCOPE_MISMATCH: 9,
  NOT_PINNED: 10,
  BAD_ARGUMENT: 11,
  // Raised by programs (ir.md §8.12), not by heap operations.
  DIVIDE_BY_ZERO: 12,
  UNREACHABLE: 13,
  WRONG_TYPE: 14,
  STACK_OVERFLOW: 15,
  // A host function failed or returned what does not convert (host.md §11.2).
  HOST_ERROR: 16,
} as const;

export type TrapCode = (typeof TrapCode)[keyof typeof TrapCode];

export type TrapName = keyof typeof TrapCode;

const NAMES: readonly TrapName[] = (() => {
  const names: TrapName[] = [];
  for (const [name, code] of Object.entries(TrapCode)) names[code] = name as TrapName;
  return names;
})();

/** The proto name of a code, e.g. `OUT_OF_BOUNDS`; `TRAP_<n>` for a number outside the enum. */
export function trapName(code: number): string {
  return NAMES[code] ?? `TRAP_${code}`;
}

/**
 * A trap: the result of an operation that cannot complete. Conformance
 * compares `code` only (traps.md §5); `op` and `detail` are for people.
 */
export class Trap extends Error {
  readonly code: TrapCode;
  /** The spec's name of the operation that trapped, e.g. `list_get`. */
  readonly op: string;
  readonly detail: string;

  constructor(code: TrapCode, op: string, detail: string) {
    super(`vm3: ${op}: ${trapName(code)}: ${detail}`);
    this.name = "Trap";
    this.code = code;
    this.op = op;
    this.detail = detail;
  }
}
