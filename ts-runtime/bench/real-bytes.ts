// Real bytes per accounted byte (arenas.md §2.7): for each arena, the shapes
// that cost the most per accounted byte, filled until the heap accounts
// TARGET bytes, measured as the growth of V8's heap plus ArrayBuffer memory
// after a full collection. Every Cell a slot holds is a distinct value (a
// JS bigint of its own), the worst case; shared constants (null, small
// literals) cost less.
//
//   node --expose-gc ts-runtime/bench/real-bytes.ts [--json] [--mib N]
//
// ts-runtime/test/real-bytes.test.ts runs it and fails when a factor passes
// the bound the spec states.
import { cellFromF64, cellFromInt } from "../src/cell.ts";
import { Heap } from "../src/heap.ts";

export interface Footprint {
  shape: string;
  accountedBytes: number;
  realBytes: number;
  factor: number;
}

interface Shape {
  name: string;
  /** Allocates one slot (and what it holds) that keeps the heap's accounting growing; returns its accounted size. */
  fill(heap: Heap, i: number): void;
}

// A distinct integer Cell per call: Int48 values past SmallInt are not
// interned by V8 (each BigInt is a heap object).
let next = 2 ** 31;
const distinctInt = () => cellFromInt(next++);
const distinctF64 = () => cellFromF64(next++ + 0.5);

const SHAPES: readonly Shape[] = [
  { name: "List, length 0", fill: (h) => h.pin(h.listNew(0)) },
  { name: "List, 1 element", fill: (h) => { const l = h.listNew(1); h.listSet(l, 0, distinctInt()); h.pin(l); } },
  { name: "List, 1,000 pushed", fill: (h) => { const l = h.listNew(0); for (let i = 0; i < 1000; i++) h.listPush(l, distinctInt()); h.pin(l); } },
  { name: "Struct, 1 field", fill: (h) => { const s = h.structNew(1); h.structSet(s, 0, distinctInt()); h.pin(s); } },
  { name: "Struct, 8 fields", fill: (h) => { const s = h.structNew(8); for (let f = 0; f < 8; f++) h.structSet(s, f, distinctInt()); h.pin(s); } },
  { name: "String, 0 bytes", fill: (h) => h.pin(h.strNew("")) },
  { name: "String, 1 byte", fill: (h, i) => h.pin(h.strNew(String(i % 10))) },
  { name: "String, 16 bytes", fill: (h, i) => h.pin(h.strNew(String(i).padStart(16, "x"))) },
  { name: "String, 64 KiB", fill: (h, i) => h.pin(h.strNew(String(i).padStart(65536, "x"))) },
  { name: "Map, 0 keys", fill: (h) => h.pin(h.mapNew()) },
  { name: "Map, 1,000 keys", fill: (h) => { const m = h.mapNew(); for (let k = 0; k < 1000; k++) h.mapSet(m, distinctInt(), distinctInt()); h.pin(m); } },
  { name: "F64Arr, 1,000 pushed", fill: (h) => { const a = h.f64arrNew(0); for (let i = 0; i < 1000; i++) h.f64arrPush(a, distinctF64()); h.pin(a); } },
  { name: "I64Arr, 1,000 pushed", fill: (h) => { const a = h.i64arrNew(0); for (let i = 0; i < 1000; i++) h.i64arrPush(a, distinctInt()); h.pin(a); } },
  { name: "Host", fill: (h) => h.pin(h.hostNew(undefined)) },
];

/**
 * V8 heap plus ArrayBuffer bytes after full collections. ArrayBuffer backing
 * stores are released off the main thread after a collection, so this waits
 * until two readings agree.
 */
async function usedBytes(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("real-bytes: run node with --expose-gc");
  let last = -1;
  for (let i = 0; i < 50; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
    const m = process.memoryUsage();
    const now = m.heapUsed + m.arrayBuffers;
    if (Math.abs(now - last) < 64 * 1024) return now;
    last = now;
  }
  return last;
}

/** Fills a fresh heap with `shape` until it accounts at least `target` bytes. */
export async function measure(shape: Shape, target: number): Promise<Footprint> {
  const before = await usedBytes();
  const heap = new Heap({ maxHeapBytes: 2 * target + (1 << 20) });
  let i = 0;
  while (heap.stats().heapBytes < target) shape.fill(heap, i++);
  const accountedBytes = heap.stats().heapBytes;
  const realBytes = (await usedBytes()) - before;
  // Keep the heap alive past the measurement.
  if (heap.liveSlots() === 0) throw new Error("unreachable");
  return { shape: shape.name, accountedBytes, realBytes, factor: realBytes / accountedBytes };
}

export async function measureAll(target: number): Promise<Footprint[]> {
  const rows: Footprint[] = [];
  for (const s of SHAPES) rows.push(await measure(s, target));
  return rows;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const at = args.indexOf("--mib");
  const mib = at < 0 ? 16 : Number(args[at + 1]);
  const rest = args.filter((a, i) => a !== "--json" && !(at >= 0 && (i === at || i === at + 1)));
  if (rest.length > 0 || !(mib > 0)) {
    console.error("usage: node --expose-gc ts-runtime/bench/real-bytes.ts [--json] [--mib N]  (N accounted MiB per shape, default 16)");
    process.exit(2);
  }
  const rows = await measureAll(mib * 2 ** 20);
  if (json) console.log(JSON.stringify(rows));
  else {
    console.log(`real bytes per accounted byte, TS heap, Node ${process.version}, ${mib} MiB accounted per shape`);
    for (const r of rows) console.log(`${r.shape.padEnd(22)} ${r.factor.toFixed(2).padStart(6)}×  (${(r.realBytes / 2 ** 20).toFixed(1)} MiB real)`);
  }
}
