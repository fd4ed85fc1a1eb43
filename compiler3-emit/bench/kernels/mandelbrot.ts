// mandelbrot (conformance/programs/corpus/mandelbrot.ir) as idiomatic
// JavaScript: the sum of escape counts (at most 50 iterations) over an n x n
// grid, cy = (row/n)*2 - 1, cx = (col/n)*3 - 2, in the IR's order of f64
// operations.
//
// The IR updates zi with one fused multiply-add, fma(zr + zr, zi, cy), rounded
// once. JavaScript has no fma, so this version writes 2*zr*zi + cy, which
// rounds the product before the add: zi may differ in the last bits, and an
// orbit near the escape radius can then escape one iteration earlier or later,
// so the sum may differ from the IR's expected value. The bench reports such a
// difference instead of hiding it.

export function mandelbrot(n: number): number {
  let sum = 0;
  for (let row = 0; row < n; row++) {
    const cy = (row / n) * 2 - 1;
    for (let col = 0; col < n; col++) {
      const cx = (col / n) * 3 - 2;
      let zr = 0;
      let zi = 0;
      let k = 0;
      while (k < 50) {
        const r2 = zr * zr;
        const i2 = zi * zi;
        if (r2 + i2 > 4) break;
        zi = 2 * zr * zi + cy;
        zr = r2 - i2 + cx;
        k++;
      }
      sum += k;
    }
  }
  return sum;
}
