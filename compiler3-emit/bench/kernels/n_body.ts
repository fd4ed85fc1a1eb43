// n_body (conformance/programs/corpus/n_body.ir, Mochi's corpus 5-body f64
// kernel) as idiomatic JavaScript: seven Float64Array columns (the IR's
// f64arr columns, pushed to length 5 with zeros and then set), body i at
// position (i, 2i, 3i) with velocity (0.1i, 0.2i, 0.3i) and mass i + 1; n steps
// of dt = 0.01 (velocities pairwise, then positions); the result is the total
// energy. Every f64 operation is in the IR's order and grouping, so the result
// is the same double bit for bit.

const BODIES = 5;
const DT = 0.01;

export function nBody(n: number): number {
  const x = new Float64Array(BODIES);
  const y = new Float64Array(BODIES);
  const z = new Float64Array(BODIES);
  const vx = new Float64Array(BODIES);
  const vy = new Float64Array(BODIES);
  const vz = new Float64Array(BODIES);
  const m = new Float64Array(BODIES);
  for (let i = 0; i < BODIES; i++) {
    x[i] = i;
    y[i] = i * 2;
    z[i] = i * 3;
    vx[i] = i * 0.1;
    vy[i] = i * 0.2;
    vz[i] = i * 0.3;
    m[i] = i + 1;
  }
  for (let step = 0; step < n; step++) {
    for (let i = 0; i < BODIES; i++) {
      for (let j = i + 1; j < BODIES; j++) {
        const dx = x[i]! - x[j]!;
        const dy = y[i]! - y[j]!;
        const dz = z[i]! - z[j]!;
        const d2 = dx * dx + dy * dy + dz * dz;
        const mag = DT / (d2 * Math.sqrt(d2));
        const mi = m[i]! * mag;
        const mj = m[j]! * mag;
        vx[i] = vx[i]! - dx * mj;
        vy[i] = vy[i]! - dy * mj;
        vz[i] = vz[i]! - dz * mj;
        vx[j] = vx[j]! + dx * mi;
        vy[j] = vy[j]! + dy * mi;
        vz[j] = vz[j]! + dz * mi;
      }
    }
    for (let i = 0; i < BODIES; i++) {
      x[i] = x[i]! + vx[i]! * DT;
      y[i] = y[i]! + vy[i]! * DT;
      z[i] = z[i]! + vz[i]! * DT;
    }
  }
  let e = 0;
  for (let i = 0; i < BODIES; i++) {
    const kinetic = 0.5 * m[i]! * (vx[i]! * vx[i]! + vy[i]! * vy[i]! + vz[i]! * vz[i]!);
    let potential = 0;
    for (let j = i + 1; j < BODIES; j++) {
      const dx = x[i]! - x[j]!;
      const dy = y[i]! - y[j]!;
      const dz = z[i]! - z[j]!;
      potential += (m[i]! * m[j]!) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    e += kinetic - potential;
  }
  return e;
}
