// Arena numbers (cell.md §1.1, arenas.md §2.1).

/**
 * Every arena number a handle Cell can carry, numbered as `vm3.v1.Arena` in
 * proto/vm3/v1/cell.proto (a test holds the two together). 14 and 15 are
 * undefined: a handle naming them is BAD_CELL (cell.md §1.3 rule 6).
 */
export const Arena = {
  STRING: 0,
  LIST: 1,
  MAP: 2,
  SET: 3,
  STRUCT: 4,
  CLOSURE: 5,
  BIGNUM: 6,
  BYTES: 7,
  PAIR: 8,
  F64_ARR: 9,
  I64_ARR: 10,
  U8_ARR: 11,
  SMALL_INT: 12,
  HOST: 13,
} as const;

export type Arena = (typeof Arena)[keyof typeof Arena];

const NAMES: readonly string[] = [
  "String", "List", "Map", "Set", "Struct", "Closure", "Bignum", "Bytes",
  "Pair", "F64Arr", "I64Arr", "U8Arr", "SmallInt", "Host",
];

/** A short display name, e.g. `List`; `Arena<n>` for 14 and 15. */
export function arenaName(arena: number): string {
  return NAMES[arena] ?? `Arena${arena}`;
}
