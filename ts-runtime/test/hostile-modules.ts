// Hostile handle-ABI modules, second round (issue 10): the byte recipes of
// modules that break the contract of handle-abi.md §10.1 in ways the JS API
// cannot see (signatures, memory limits), trap or loop in their start
// function or vm3_init, or drive the TypeScript host's lazy sequence tails
// past the engine's array limit (§10.3).
//
// One corpus for both hosts: `npx node ts-runtime/test/hostile-modules.ts`
// writes each module and a manifest of what each host must answer to
// go-host/bridge/testdata/hostile2/; abi-host-hostile2.test.ts fails when
// those files differ from these recipes and runs them on the TypeScript host,
// go-host/bridge/hostile2_test.go runs them on the Go host.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ModuleRecipe, op, wasmModule } from "./wasm-bytes.ts";

export const CORPUS_DIR = fileURLToPath(new URL("../../go-host/bridge/testdata/hostile2/", import.meta.url));

/** What one host must answer. */
export type Expect =
  | { compileError: string } // compiling fails with an error containing this text
  | { runError: string } // compiling succeeds; the run is an error (not a trap) containing this text
  | { trap: string } // the run's result is this trap (traps.md name)
  | { i64: string } // the run returns this i64
  | { timeout: true } // the run does not end: only a time limit ends it (embedding.md §7.2)
  | { skip: string }; // not run on this host, for this reason

export interface HostileCase {
  name: string;
  description: string;
  /** The IR program the module claims to be (the TypeScript host checks entries against it, §10.1). */
  program: { entry: string; functions: { name: string; params: number; result: "i64" | "unit" }[] };
  args: string[];
  /** Heap limits (0 or absent: the default). */
  heap?: { maxHeapBytes?: number };
  ts: Expect;
  go: Expect;
  recipe: ModuleRecipe;
}

const NULL = -(1n << 64n) + 0xfffc_0000_0000_0000n; // CELL_NULL as the signed i64 the engine passes
const INT0 = -(1n << 64n) + 0xffff_c000_0000_0000n; // the integer Cell 0
const VOID = { params: [], results: [] } as const;
const MAIN_I64 = { params: [], results: ["i64"] } as const;
const MAIN = { entry: "main", functions: [{ name: "main", params: 0, result: "i64" as const }] };
const EXPORTS = [
  { name: "memory", kind: "memory" as const, index: 0 },
  { name: "vm3_init", kind: "func" as const, index: 0 },
];
const localGet = (i: number) => [0x20, i];
const localSet = (i: number) => [0x21, i];

/** 256 MiB, the Go host's DefaultMaxMemoryPages and handle-abi.md §10.1's limit. */
const LIMIT_PAGES = 4096;

/** A module of `vm3_init` (function 0, no imports) and `main` returning `memory.grow(pages)`. */
function growModule(memory: { min: number; max?: number }, pages: number): ModuleRecipe {
  return {
    types: [{ ...VOID }, { ...MAIN_I64 }],
    funcs: [{ type: 0, body: [] }, { type: 1, body: [...op.i32(pages), ...op.memoryGrow, ...op.i64ExtendI32S] }],
    memory,
    exports: [...EXPORTS, { name: "main", kind: "func", index: 1 }],
  };
}

/** `main` makes a sequence of `length` with `newImport`, then sets its last element (a lazy tail on the TypeScript heap). */
function lastElementModule(newImport: string, setImport: string, length: bigint, value: bigint): ModuleRecipe {
  return {
    types: [{ params: ["i64"], results: ["i64"] }, { params: ["i64", "i64", "i64"], results: [] }, { ...VOID }, { ...MAIN_I64 }],
    imports: [{ module: "vm3", name: newImport, type: 0 }, { module: "vm3", name: setImport, type: 1 }],
    funcs: [
      { type: 2, body: [] },
      {
        type: 3,
        locals: ["i64"],
        body: [...op.i64(length), ...op.call(0), ...localSet(0), ...localGet(0), ...op.i64(length - 1n), ...op.i64(value), ...op.call(1), ...op.i64(0)],
      },
    ],
    memory: { min: 1, max: 1 },
    exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 2 }, { name: "main", kind: "func", index: 3 }],
  };
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: "import-list-new-i32",
    description: "imports vm3.list_new as (i32) -> (i32) instead of (i64) -> (i64)",
    program: MAIN,
    args: [],
    ts: { compileError: "import vm3.list_new has type (i32) -> (i32), want (i64) -> (i64)" },
    go: { compileError: "import vm3.list_new has type (i32) -> (i32), want (i64) -> (i64)" },
    recipe: {
      types: [{ params: ["i32"], results: ["i32"] }, { ...VOID }, { ...MAIN_I64 }],
      imports: [{ module: "vm3", name: "list_new", type: 0 }],
      funcs: [{ type: 1, body: [] }, { type: 2, body: [...op.i32(3), ...op.call(0), ...op.i64ExtendI32S] }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 1 }, { name: "main", kind: "func", index: 2 }],
    },
  },
  {
    name: "import-frame-enter-no-result",
    description: "imports vm3.frame_enter as (i32) -> () (its i32 mark dropped)",
    program: MAIN,
    args: [],
    ts: { compileError: "import vm3.frame_enter has type (i32) -> (), want (i32) -> (i32)" },
    go: { compileError: "import vm3.frame_enter has type (i32) -> (), want (i32) -> (i32)" },
    recipe: {
      types: [{ params: ["i32"], results: [] }, { ...VOID }, { ...MAIN_I64 }],
      imports: [{ module: "vm3", name: "frame_enter", type: 0 }],
      funcs: [{ type: 1, body: [] }, { type: 2, body: [...op.i32(1), ...op.call(0), ...op.i64(0)] }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 1 }, { name: "main", kind: "func", index: 2 }],
    },
  },
  {
    name: "init-with-param",
    description: "exports vm3_init as (i32) -> ()",
    program: MAIN,
    args: [],
    ts: { compileError: "export vm3_init has type (i32) -> (), want () -> ()" },
    go: { compileError: "export vm3_init has type (i32) -> (), want () -> ()" },
    recipe: {
      types: [{ params: ["i32"], results: [] }, { ...MAIN_I64 }],
      funcs: [{ type: 0, body: [] }, { type: 1, body: op.i64(1) }],
      memory: { min: 1, max: 1 },
      exports: [...EXPORTS, { name: "main", kind: "func", index: 1 }],
    },
  },
  {
    name: "entry-wrong-signature",
    description: "exports the program's entry main () -> i64 as (i32) -> (i64)",
    program: MAIN,
    args: [],
    // The TypeScript host knows the program at compile; the Go host's Compile does not, its Run refuses the entry (ErrEntry).
    ts: { compileError: "export main has type (i32) -> (i64), want () -> (i64)" },
    go: { runError: "main(i32) -> (i64) cannot be an entry: parameter 0 is i32, not i64" },
    recipe: {
      types: [{ ...VOID }, { params: ["i32"], results: ["i64"] }],
      funcs: [{ type: 0, body: [] }, { type: 1, body: op.i64(1) }],
      memory: { min: 1, max: 1 },
      exports: [...EXPORTS, { name: "main", kind: "func", index: 1 }],
    },
  },
  {
    name: "memory-4gib",
    description: "a memory of 65536 pages (4 GiB) initially",
    program: MAIN,
    args: [],
    ts: { compileError: "min 65536 pages (4 Gi) over limit of 4096 pages (256 Mi)" },
    go: { compileError: "min 65536 pages (4 Gi) over limit of 4096 pages (256 Mi)" },
    recipe: growModule({ min: 65536 }, 0),
  },
  {
    name: "memory-4097-pages",
    description: "a memory of one page over the limit initially, with a maximum",
    program: MAIN,
    args: [],
    ts: { compileError: "min 4097 pages (256 Mi) over limit of 4096 pages (256 Mi)" },
    go: { compileError: "min 4097 pages (256 Mi) over limit of 4096 pages (256 Mi)" },
    recipe: growModule({ min: 4097, max: 4097 }, 0),
  },
  {
    name: "memory-grow-past-limit",
    description: "a memory of 1 page with no maximum grows by 4096 pages: memory.grow fails (-1)",
    program: MAIN,
    args: [],
    ts: { i64: "-1" },
    go: { i64: "-1" },
    recipe: growModule({ min: 1 }, LIMIT_PAGES),
  },
  {
    name: "memory-grow-to-limit",
    description: "a memory of 1 page with no maximum grows by 4095 pages to the limit: memory.grow returns the old size",
    program: MAIN,
    args: [],
    ts: { i64: "1" },
    go: { i64: "1" },
    recipe: growModule({ min: 1 }, LIMIT_PAGES - 1),
  },
  {
    name: "memory-max-4gib-grow",
    description: "a memory of 1 page declaring a 65536-page maximum grows by 4096 pages: the limit caps the maximum, memory.grow fails (-1)",
    program: MAIN,
    args: [],
    ts: { i64: "-1" },
    go: { i64: "-1" },
    recipe: growModule({ min: 1, max: 65536 }, LIMIT_PAGES),
  },
  {
    name: "start-traps",
    description: "the start function calls list_len(0), a float Cell: NOT_A_HANDLE before vm3_init",
    program: MAIN,
    args: [],
    ts: { trap: "NOT_A_HANDLE" },
    go: { trap: "NOT_A_HANDLE" },
    recipe: {
      types: [{ params: ["i64"], results: ["i64"] }, { ...VOID }, { ...MAIN_I64 }],
      imports: [{ module: "vm3", name: "list_len", type: 0 }],
      funcs: [{ type: 1, body: [] }, { type: 2, body: op.i64(7) }, { type: 1, body: [...op.i64(0), ...op.call(0), ...op.drop] }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 1 }, { name: "main", kind: "func", index: 2 }],
      start: 3,
    },
  },
  {
    name: "start-guest-trap",
    description: "the start function raises trap(14) (WRONG_TYPE) itself",
    program: MAIN,
    args: [],
    ts: { trap: "WRONG_TYPE" },
    go: { trap: "WRONG_TYPE" },
    recipe: {
      types: [{ params: ["i32"], results: [] }, { ...VOID }, { ...MAIN_I64 }],
      imports: [{ module: "vm3", name: "trap", type: 0 }],
      funcs: [{ type: 1, body: [] }, { type: 2, body: op.i64(7) }, { type: 1, body: [...op.i32(14), ...op.call(0)] }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 1 }, { name: "main", kind: "func", index: 2 }],
      start: 3,
    },
  },
  {
    name: "start-str-new",
    description: "the start function calls str_new(0, 1) on its own memory, before the host knows the memory",
    program: MAIN,
    args: [],
    ts: { trap: "BAD_ARGUMENT" },
    go: { trap: "BAD_ARGUMENT" },
    recipe: {
      types: [{ params: ["i32", "i32"], results: ["i64"] }, { ...VOID }, { ...MAIN_I64 }],
      imports: [{ module: "vm3", name: "str_new", type: 0 }],
      funcs: [{ type: 1, body: [] }, { type: 2, body: op.i64(7) }, { type: 1, body: [...op.i32(0), ...op.i32(1), ...op.call(0), ...op.drop] }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 1 }, { name: "main", kind: "func", index: 2 }],
      start: 3,
    },
  },
  {
    name: "init-loops",
    description: "vm3_init never returns",
    program: MAIN,
    args: [],
    ts: { timeout: true },
    go: { timeout: true },
    recipe: {
      types: [{ ...VOID }, { ...MAIN_I64 }],
      funcs: [{ type: 0, body: op.forever }, { type: 1, body: op.i64(1) }],
      memory: { min: 1, max: 1 },
      exports: [...EXPORTS, { name: "main", kind: "func", index: 1 }],
    },
  },
  {
    name: "start-loops",
    description: "the start function never returns",
    program: MAIN,
    args: [],
    ts: { timeout: true },
    go: { timeout: true },
    recipe: {
      types: [{ ...VOID }, { ...MAIN_I64 }],
      funcs: [{ type: 0, body: [] }, { type: 1, body: op.i64(1) }, { type: 0, body: op.forever }],
      memory: { min: 1, max: 1 },
      exports: [...EXPORTS, { name: "main", kind: "func", index: 1 }],
      start: 2,
    },
  },
  {
    name: "i64arr-last-of-2p28",
    description: "i64arr_new(2^28) under an 8 GiB byte limit, then i64arr_set at 2^28 - 1: past MAX_STORED = 2^27 stored elements (operations.md §3.1)",
    program: MAIN,
    args: [],
    heap: { maxHeapBytes: 2 ** 33 },
    ts: { trap: "OUT_OF_MEMORY" },
    go: { trap: "OUT_OF_MEMORY" },
    recipe: lastElementModule("i64arr_new", "i64arr_set", 1n << 28n, INT0),
  },
  {
    name: "list-last-of-536870000",
    description: "list_new(536870000) under an 8 GiB byte limit, then list_set at its last index: past MAX_STORED = 2^27 stored elements (operations.md §3.1)",
    program: MAIN,
    args: [],
    heap: { maxHeapBytes: 2 ** 33 },
    ts: { trap: "OUT_OF_MEMORY" },
    go: { trap: "OUT_OF_MEMORY" },
    recipe: lastElementModule("list_new", "list_set", 536870000n, NULL),
  },
  {
    name: "i64arr-2p28-byte-limit",
    description: "i64arr_new(2^28) under a 256 MiB byte limit, then i64arr_set at its last index: the allocation is over the limit, on both hosts",
    program: MAIN,
    args: [],
    heap: { maxHeapBytes: 2 ** 28 },
    ts: { trap: "OUT_OF_MEMORY" },
    go: { trap: "OUT_OF_MEMORY" },
    recipe: lastElementModule("i64arr_new", "i64arr_set", 1n << 28n, INT0),
  },
];

/** The manifest both hosts' tests read: every case without its recipe, with its module's file. */
export function manifest(): string {
  const cases = HOSTILE_CASES.map(({ recipe: _recipe, ...c }) => ({ ...c, wasm: `${c.name}.wasm` }));
  return `${JSON.stringify({ note: "generated by ts-runtime/test/hostile-modules.ts; do not edit", cases }, null, 2)}\n`;
}

export function moduleBytes(c: HostileCase): Uint8Array {
  return wasmModule(c.recipe);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(CORPUS_DIR, { recursive: true });
  for (const c of HOSTILE_CASES) writeFileSync(join(CORPUS_DIR, `${c.name}.wasm`), moduleBytes(c));
  writeFileSync(join(CORPUS_DIR, "manifest.json"), manifest());
  console.log(`wrote ${HOSTILE_CASES.length} modules and manifest.json to ${CORPUS_DIR}`);
}
