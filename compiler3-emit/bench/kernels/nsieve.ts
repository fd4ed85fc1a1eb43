// nsieve (conformance/programs/corpus/nsieve.ir) as idiomatic JavaScript: the
// sieve of Eratosthenes over a growable array, as the IR's list<i64>: n + 1
// zeros pushed, then every multiple j = i*i, i*i + i, ... <= n of each unmarked
// i >= 2 set to 1; the result is the count of unmarked i in 2..n.

export function nsieve(n: number): number {
  const xs: number[] = [];
  for (let i = 0; i <= n; i++) xs.push(0);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (xs[i] !== 0) continue;
    count++;
    for (let j = i * i; j <= n; j += i) xs[j] = 1;
  }
  return count;
}
