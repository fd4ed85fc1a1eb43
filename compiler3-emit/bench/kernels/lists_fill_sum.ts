// lists_fill_sum (conformance/programs/corpus/lists_fill_sum.ir) as idiomatic
// JavaScript: push 0..n-1 onto an array, then sum it. The IR's two
// tail-recursive helpers (fill, sum) are loops here: JS engines do not
// eliminate tail calls, and a loop is what a JS programmer writes. The sum
// n(n-1)/2 is exact in a JS number for n below about 1.3e8; the bench checks
// that the result is a safe integer.

export function listsFillSum(n: number): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(i);
  let acc = 0;
  for (let j = 0; j < n; j++) acc += xs[j]!;
  return acc;
}
