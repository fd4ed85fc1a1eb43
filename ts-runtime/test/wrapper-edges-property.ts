// The property test of wrapper-owned weak host edges (collection.md §4.7):
// random programs of heap operations, wrappers (HandleRefs) made and dropped,
// host values that capture wrappers (Igalia's m1 cycles), forced heap
// collections and forced JS collections with finalizers run; after every JS
// collection, every host value that a root or a live wrapper still reaches
// — computed on a model of the graph kept beside the heap, never by asking
// the heap (which would promote what it is asked about) — must still exist.
//
//   node --expose-gc ts-runtime/test/wrapper-edges-property.ts [--runs N] [--seed S] [--skip SITE]
//
// --skip leaves one barrier site out (the mutation check): the test must then
// find a lost host value. Exit status 0: nothing found (or, with --skip, a
// loss found as required); 1 otherwise. ts-runtime/test/wrapper-edges.test.ts
// runs it in `npm test` with a bounded count; README gives the long command.
import { CELL_NULL, type Cell } from "../src/cell.ts";
import { HandleRef } from "../src/handle-ref.ts";
import { Heap } from "../src/heap.ts";
import { type BarrierSite, barrierTestHook } from "../src/wrapper-edges.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error("run with node --expose-gc");
  process.exit(2);
}

interface HostValue {
  readonly id: number;
  /** Wrappers this host value captures (m1: a callback closing over wrappers). */
  readonly caps: HandleRef[];
}

type Node =
  | { kind: "struct"; cell: Cell; fields: (number | null)[] }
  | { kind: "host"; cell: Cell; id: number; caps: number[] };

/** Ordinary pins the test made (host code pinning a wrapper's object: the "anyHandle" barrier), by node. */
type Pins = number[];

interface Wrapper {
  ref: HandleRef | null;
  node: number;
}

const REGS = 3;
const FIELDS = 3;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** The op numbers below, weighted: the barrier's cases need wraps, clears, collections and drops. */
const OPS = [0, 1, 2, 2, 3, 3, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 14];

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * A JS collection that can collect what this job made: WeakRef targets made
 * or read in the current job are kept until it ends (the JS spec's
 * KeepDuringJob), so end the job first; then let the finalizers run.
 */
async function collectJs(): Promise<void> {
  await tick();
  gc!();
  await tick();
  await tick();
}

/** One random program; → the description of a lost host value, or undefined. */
async function runOnce(seed: number, steps: number): Promise<string | undefined> {
  const rand = rng(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  const heap = new Heap(rand() < 0.3 ? { variant: "auto", autoMinThreshold: 1 + pick(16) } : { variant: "minimal" });
  const mark = heap.frameEnter(REGS);
  const nodes: Node[] = [];
  const regs: (number | null)[] = new Array(REGS).fill(null);
  const wrappers: Wrapper[] = [];
  const pins: Pins = [];
  const weak: WeakRef<HostValue>[] = [];
  const trace: string[] = [];
  const cellOf = (n: number | null): Cell => (n === null ? CELL_NULL : nodes[n]!.cell);
  const setReg = (r: number, n: number | null): void => {
    heap.frameRoot(mark, r, cellOf(n));
    regs[r] = n;
  };
  const liveWrapper = (): Wrapper | undefined => {
    const live = wrappers.filter((w) => w.ref !== null);
    return live.length === 0 ? undefined : live[pick(live.length)];
  };
  const structReg = (): number | undefined => {
    const rs = [...regs.keys()].filter((r) => regs[r] !== null && nodes[regs[r]!]!.kind === "struct");
    return rs.length === 0 ? undefined : rs[pick(rs.length)];
  };

  const check = (when: string): string | undefined => {
    // Reachable: from the registers and the wrappers the test still holds, through fields and captures.
    const seen = new Set<number>();
    const stack: number[] = [];
    for (const n of regs) if (n !== null) stack.push(n);
    for (const w of wrappers) if (w.ref !== null) stack.push(w.node);
    for (const n of pins) stack.push(n);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const node = nodes[n]!;
      if (node.kind === "struct") {
        for (const f of node.fields) if (f !== null) stack.push(f);
      } else {
        for (const c of node.caps) stack.push(c);
      }
    }
    for (const n of seen) {
      const node = nodes[n]!;
      if (node.kind === "host" && weak[node.id]!.deref() === undefined) {
        return `seed ${seed}: host value #${node.id} (node ${n}) is reachable but was collected, ${when}\n  ${trace.join("\n  ")}`;
      }
    }
    return undefined;
  };

  for (let step = 0; step < steps; step++) {
    const op = OPS[pick(OPS.length)]!;
    const r = pick(REGS);
    switch (op) {
      case 0: {
        const c = heap.structNew(FIELDS);
        nodes.push({ kind: "struct", cell: c, fields: new Array(FIELDS).fill(null) });
        setReg(r, nodes.length - 1);
        trace.push(`r${r} = struct #${nodes.length - 1}`);
        break;
      }
      case 2: {
        const w = rand() < 0.7 ? liveWrapper() : undefined;
        const v: HostValue = { id: weak.length, caps: w === undefined ? [] : [w.ref!] };
        weak.push(new WeakRef(v));
        const c = heap.hostNew(v);
        nodes.push({ kind: "host", cell: c, id: v.id, caps: w === undefined ? [] : [w.node] });
        setReg(r, nodes.length - 1);
        trace.push(`r${r} = host #${v.id}${w === undefined ? "" : ` capturing the wrapper of node ${w.node}`}`);
        break;
      }
      case 3: {
        const a = structReg();
        if (a === undefined) break;
        const f = pick(FIELDS);
        const b = regs[r]!;
        const node = nodes[regs[a]!] as Extract<Node, { kind: "struct" }>;
        heap.structSet(node.cell, f, cellOf(b));
        node.fields[f] = b;
        trace.push(`node ${regs[a]}.f${f} = r${r}`);
        break;
      }
      case 4: {
        const a = structReg();
        if (a === undefined) break;
        const f = pick(FIELDS);
        const node = nodes[regs[a]!] as Extract<Node, { kind: "struct" }>;
        const c = heap.structGet(node.cell, f);
        heap.frameRoot(mark, r, c);
        regs[r] = node.fields[f]!;
        trace.push(`r${r} = node ${regs[a]}.f${f}`);
        break;
      }
      case 5:
        setReg(r, null);
        trace.push(`r${r} = null`);
        break;
      case 6: {
        const n = regs[r] ?? null;
        if (n === null) break;
        const ref = new HandleRef(heap, nodes[n]!.cell);
        wrappers.push({ ref, node: n });
        trace.push(`wrap r${r} (node ${n}) as w${wrappers.length - 1}`);
        break;
      }
      case 7: {
        const w = liveWrapper();
        if (w === undefined) break;
        w.ref = null;
        trace.push(`drop w${wrappers.indexOf(w)}`);
        break;
      }
      case 8: {
        // Host code hands a wrapper's object to the program (a frame root: the "frame" barrier).
        const w = liveWrapper();
        if (w === undefined) break;
        heap.frameRoot(mark, r, w.ref!.cell);
        regs[r] = w.node;
        trace.push(`r${r} = w${wrappers.indexOf(w)}'s node ${w.node}`);
        break;
      }
      case 9: {
        // Host code stores a wrapper's object in a field (the "value" barrier).
        const w = liveWrapper();
        const a = structReg();
        if (w === undefined || a === undefined) break;
        const f = pick(FIELDS);
        const node = nodes[regs[a]!] as Extract<Node, { kind: "struct" }>;
        heap.structSet(node.cell, f, w.ref!.cell);
        node.fields[f] = w.node;
        trace.push(`node ${regs[a]}.f${f} = w${wrappers.indexOf(w)}'s node ${w.node}`);
        break;
      }
      case 10: {
        // Host code reads a field through a wrapper (the "handle" barrier).
        const w = liveWrapper();
        if (w === undefined) break;
        const node = nodes[w.node]!;
        if (node.kind !== "struct") break;
        const f = pick(FIELDS);
        heap.frameRoot(mark, r, heap.structGet(node.cell, f));
        regs[r] = node.fields[f]!;
        trace.push(`r${r} = w${wrappers.indexOf(w)}.f${f}`);
        break;
      }
      case 13: {
        // Host code pins a wrapper's object itself (an ordinary pin: the "anyHandle" barrier).
        const w = liveWrapper();
        if (w === undefined) break;
        heap.pin(w.ref!.cell);
        pins.push(w.node);
        trace.push(`pin w${wrappers.indexOf(w)}'s node ${w.node}`);
        break;
      }
      case 14: {
        if (pins.length === 0) break;
        const n = pins.splice(pick(pins.length), 1)[0]!;
        heap.unpin(nodes[n]!.cell);
        trace.push(`unpin node ${n}`);
        break;
      }
      case 11:
        heap.collect();
        trace.push("collect");
        break;
      case 1: {
        // Make an m1 pair at once: a struct whose field holds a host value capturing the struct's own wrapper.
        const c = heap.structNew(FIELDS);
        nodes.push({ kind: "struct", cell: c, fields: new Array(FIELDS).fill(null) });
        const n = nodes.length - 1;
        const ref = new HandleRef(heap, c);
        wrappers.push({ ref, node: n });
        const v: HostValue = { id: weak.length, caps: rand() < 0.5 ? [ref] : [] };
        weak.push(new WeakRef(v));
        const h = heap.hostNew(v);
        nodes.push({ kind: "host", cell: h, id: v.id, caps: v.caps.length === 0 ? [] : [n] });
        heap.structSet(c, 0, h);
        (nodes[n] as Extract<Node, { kind: "struct" }>).fields[0] = nodes.length - 1;
        trace.push(`struct #${n} wrapped as w${wrappers.length - 1}, f0 = host #${v.id}${v.caps.length === 0 ? "" : " capturing it"}`);
        break;
      }
      default: {
        await collectJs();
        trace.push("gc");
        const lost = check(`after step ${step}`);
        if (lost !== undefined) return lost;
      }
    }
  }
  await collectJs();
  heap.collect();
  await collectJs();
  const lost = check("at the end");
  if (lost !== undefined) return lost;
  // What the registers reach reads back through the heap as the model says.
  for (const n of regs) {
    if (n === null) continue;
    const node = nodes[n]!;
    if (node.kind === "host" && (heap.hostGet(node.cell) as HostValue).id !== node.id) return `seed ${seed}: register node ${n} reads another host value`;
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
  };
  const usage = "usage: node --expose-gc ts-runtime/test/wrapper-edges-property.ts [--runs N] [--seed S] [--steps K] [--skip anyHandle|value|frame]";
  if (args.includes("--help")) {
    console.log(usage);
    return;
  }
  const runs = Number(flag("--runs") ?? 1000);
  const seed0 = Number(flag("--seed") ?? 1);
  const skip = flag("--skip") as BarrierSite | undefined;
  const steps = Number(flag("--steps") ?? 60);
  const known = new Set(["--runs", "--seed", "--steps", "--skip"]);
  const bad = args.filter((a, i) => a.startsWith("--") && !known.has(a) && !known.has(args[i - 1] ?? ""));
  if (bad.length > 0 || ![runs, seed0, steps].every((x) => Number.isSafeInteger(x) && x >= 1) || (skip !== undefined && !["anyHandle", "value", "frame"].includes(skip))) {
    console.error(`${bad.length > 0 ? `unknown flag ${bad[0]}` : "--runs, --seed and --steps want positive integers, --skip a barrier site"}\n${usage}`);
    process.exit(2);
  }
  barrierTestHook.skip = skip;
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) {
    const lost = await runOnce(seed0 + k, steps);
    if (lost !== undefined) {
      if (skip !== undefined) {
        console.log(`barrier site "${skip}" left out: a lost host value found after ${k + 1} runs, as required:\n${lost.split("\n")[0]}`);
        process.exit(0);
      }
      console.error(`LOST after ${k + 1} runs:\n${lost}`);
      process.exit(1);
    }
    if ((k + 1) % 1000 === 0) console.error(`${k + 1} runs…`);
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (skip !== undefined) {
    console.error(`barrier site "${skip}" left out, yet ${runs} runs found no lost host value: the test is too weak for it`);
    process.exit(1);
  }
  console.log(`${runs} runs of ${steps} steps (seeds ${seed0}…${seed0 + runs - 1}): no reachable host value lost (${s} s)`);
}

await main();
