// Generators of large IR programs (issue 10, "Large programs"): the shapes
// ordinary compiler output takes at scale, in the text form of ir-text.md.

/**
 * One block of `n` dependent ops: each value is computed from the one before
 * it (alternately `add.i64` with the parameter and `mulk.i64 … 3`, which no
 * rewrite folds away), so the chain is `n` deep. Returns the last value.
 */
export function dependentChain(n: number): string {
  const lines = ["entry @main", "", "func main(v0: i64) -> i64 {", "b0:"];
  for (let i = 1; i <= n; i++) {
    lines.push(i % 2 === 1 ? `  v${i} = add.i64 v${i - 1}, v0` : `  v${i} = mulk.i64 v${i - 1}, 3`);
  }
  lines.push(`  return v${n}`, "}", "");
  return lines.join("\n");
}

/**
 * `n` values live at once: `v_i = mulk.i64 v0, i` for i = 1..n, all defined
 * before any is used, then summed (the first defined is added last, so every
 * one stays live until the sum reaches it).
 */
export function manyLive(n: number): string {
  const lines = ["entry @main", "", "func main(v0: i64) -> i64 {", "b0:"];
  for (let i = 1; i <= n; i++) lines.push(`  v${i} = mulk.i64 v0, ${i}`);
  let acc = n;
  let next = n + 1;
  for (let i = n - 1; i >= 1; i--) {
    lines.push(`  v${next} = add.i64 v${acc}, v${i}`);
    acc = next++;
  }
  lines.push(`  return v${acc}`, "}", "");
  return lines.join("\n");
}


/**
 * `n` blocks in a chain of tests (a `switch` lowered to compares, as a
 * compiler writes a long match): block k tests `v0 == k` and leaves for the
 * exit block, whose phi gives 7k, or goes on to block k + 1; past the last
 * test the function returns v0.
 */
export function testChain(n: number): string {
  const lines = ["entry @main", "", "func main(v0: i64) -> i64 {", "b0:", "  jump b1"];
  const exit = n + 1;
  const incoming: string[] = [];
  for (let k = 1; k <= n; k++) {
    lines.push(`b${k}:`, `  v${2 * k - 1} = cmp.eq.i64.imm v0, ${k}`, `  v${2 * k} = const.i64 ${7 * k}`, `  branch v${2 * k - 1}, b${exit}, b${k === n ? exit + 1 : k + 1}`);
    incoming.push(`[b${k}: v${2 * k}]`);
  }
  lines.push(`b${exit}:`, `  v${2 * n + 1} = phi.i64 ${incoming.join(", ")}`, `  return v${2 * n + 1}`, `b${exit + 1}:`, "  return v0", "}", "");
  return lines.join("\n");
}

/**
 * `n` lists live at once: `n` times `newlist`, then a push of the parameter
 * onto each, then the sum of their lengths (n): heap references live across
 * thousands of calls of the runtime's list operations (rooted in the handle
 * ABI's frame, handle-abi.md §10.5).
 */
export function manyLists(n: number): string {
  const lines = ["entry @main", "", "func main(v0: i64) -> i64 {", "b0:"];
  for (let i = 1; i <= n; i++) lines.push(`  v${i} = newlist`);
  let id = n + 1;
  for (let i = 1; i <= n; i++) lines.push(`  v${id++} = list.push.i64 v${i}, v0`);
  let acc = -1;
  for (let i = n; i >= 1; i--) {
    const len = id++;
    lines.push(`  v${len} = list.len.i64 v${i}`);
    if (acc < 0) acc = len;
    else {
      lines.push(`  v${id} = add.i64 v${acc}, v${len}`);
      acc = id++;
    }
  }
  lines.push(`  return v${acc}`, "}", "");
  return lines.join("\n");
}

/**
 * A random large function (seeded, deterministic) for checking the sharing
 * of locals (function.ts) against the interpreter: an outer loop run
 * `v0 % 3 + 1` times around a ladder of `rungs` blocks, each rung `width`
 * i64 ops on values of its own block, of earlier rungs (which dominate it)
 * and the loop's phis, then a branch on one of them to a side block of its
 * own `width` ops or straight on; the next rung's phis merge the two paths.
 */
export function randomLadder(seed: number, rungs = 50, width = 20): string {
  let state = seed >>> 0;
  const rand = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const L: string[] = ["entry @main", "", "func main(v0: i64) -> i64 {"];
  let next = 1;
  const v = () => next++;
  const blocks: string[][] = [];
  const block = () => blocks.push([]) - 1;
  const b0 = block();
  const header = block();
  const zero = v();
  const trips = v();
  blocks[b0]!.push(`  v${zero} = const.i64 0`, `  v${trips} = modk.i64 v0, 3`, `  jump b${header}`);
  // header phis: i (trip counter) and acc; their back-edge sources are patched in at the end
  const i = v();
  const acc = v();
  const hdr = blocks[header]!;
  const cond = v();
  let spine: number[] = [0, i, acc]; // values that dominate the current rung
  const op = (pool: number[], out: string[]) => {
    const a = pool[rand(pool.length)]!;
    const b = pool[rand(pool.length)]!;
    const id = v();
    const k = rand(5);
    out.push(k === 0 ? `  v${id} = add.i64 v${a}, v${b}` : k === 1 ? `  v${id} = sub.i64 v${a}, v${b}` : k === 2 ? `  v${id} = mul.i64 v${a}, v${b}` : k === 3 ? `  v${id} = addk.i64 v${a}, ${rand(1000) - 500}` : `  v${id} = mulk.i64 v${a}, ${rand(7) - 3}`);
    return id;
  };
  let prev = header;
  let first = -1;
  let carried = acc;
  let carriedSide = acc;
  for (let r = 0; r < rungs; r++) {
    const rung = block();
    if (first < 0) first = rung;
    const side = block();
    const out = blocks[rung]!;
    // phi merging the previous rung's two paths (none for the first rung)
    if (r > 0) {
      const phi = v();
      out.push(`  v${phi} = phi.i64 [b${prev}: v${carried}], [b${prev + 1}: v${carriedSide}]`);
      spine.push(phi);
      carried = phi;
    }
    const local: number[] = [];
    for (let w = 0; w < width; w++) local.push(op([...spine.slice(-6), ...local.slice(-4), carried], out));
    spine.push(local[rand(local.length)]!);
    const test = v();
    out.push(`  v${test} = cmp.lt.i64.imm v${local[rand(local.length)]!}, ${rand(2000) - 1000}`);
    carried = local[rand(local.length - 1)]!; // not the last: a later def must not take its local
    const so = blocks[side]!;
    const sideLocal: number[] = [];
    for (let w = 0; w < width; w++) sideLocal.push(op([...spine.slice(-6), ...sideLocal.slice(-4), carried], so));
    carriedSide = sideLocal[rand(sideLocal.length - 1)]!;
    const after = rung + 2; // the next rung, or the latch
    out.push(`  branch v${test}, b${side}, b${after}`);
    so.push(`  jump b${after}`);
    prev = rung;
  }
  const latch = block();
  const merged = v();
  const i1 = v();
  const lo = blocks[latch]!;
  lo.push(`  v${merged} = phi.i64 [b${prev}: v${carried}], [b${prev + 1}: v${carriedSide}]`, `  v${i1} = addk.i64 v${i}, 1`, `  jump b${header}`);
  const exit = block();
  blocks[exit]!.push(`  return v${acc}`);
  hdr.push(`  v${i} = phi.i64 [b${b0}: v${zero}], [b${latch}: v${i1}]`, `  v${acc} = phi.i64 [b${b0}: v0], [b${latch}: v${merged}]`, `  v${cond} = cmp.le.i64 v${i}, v${trips}`, `  branch v${cond}, b${first}, b${exit}`);
  blocks.forEach((b, n) => L.push(`b${n}:`, ...b));
  L.push("}", "");
  return L.join("\n");
}
