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
