// Package kernels holds plain Go versions of five conformance programs
// (conformance/programs, their README says what each computes), written as
// a Go programmer would, for the bridge benchmarks' ratios: the same
// algorithm and, for the f64 kernels, the same operations in the same order
// (mandelbrot's fused multiply-add is math.FMA), so each gives the program's
// result exactly. They mirror compiler3-emit/bench/kernels/*.ts.
package kernels

import "math"

// node is a binary_trees node; a leaf has nil children.
type node struct{ left, right *node }

func makeTree(depth int64) *node {
	if depth <= 0 {
		return &node{}
	}
	return &node{makeTree(depth - 1), makeTree(depth - 1)}
}

func (t *node) check() int64 {
	if t.left == nil {
		return 1
	}
	return t.left.check() + t.right.check() + 1
}

// BinaryTrees is heap/binary_trees.ir: the total node count of the stretch
// tree, 2^(M-d+4) trees of each even depth d from 4 to M, and the long-lived
// tree, M = max(6, n).
func BinaryTrees(n int64) int64 {
	const minDepth = 4
	maxDepth := max(n, minDepth+2)
	total := makeTree(maxDepth + 1).check()
	long := makeTree(maxDepth)
	for d := int64(minDepth); d <= maxDepth; d += 2 {
		for i := int64(0); i < 1<<(maxDepth-d+minDepth); i++ {
			total += makeTree(d).check()
		}
	}
	return total + long.check()
}

// ListsFillSum is corpus/lists_fill_sum.ir: append 0..n-1 to a slice, then
// sum it.
func ListsFillSum(n int64) int64 {
	var xs []int64
	for i := int64(0); i < n; i++ {
		xs = append(xs, i)
	}
	var sum int64
	for _, x := range xs {
		sum += x
	}
	return sum
}

// NSieve is corpus/nsieve.ir: the number of primes in 2..n by the sieve of
// Eratosthenes over a slice grown to n+1 zeros.
func NSieve(n int64) int64 {
	var xs []int64
	for i := int64(0); i <= n; i++ {
		xs = append(xs, 0)
	}
	var count int64
	for i := int64(2); i <= n; i++ {
		if xs[i] != 0 {
			continue
		}
		count++
		for j := i * i; j <= n; j += i {
			xs[j] = 1
		}
	}
	return count
}

// Mandelbrot is corpus/mandelbrot.ir: the sum of escape counts (at most 50
// iterations) over an n×n grid; zi's update is one fused multiply-add.
func Mandelbrot(n int64) int64 {
	var sum int64
	fn := float64(n)
	for row := int64(0); row < n; row++ {
		cy := float64(row)/fn*2 - 1
		for col := int64(0); col < n; col++ {
			cx := float64(col)/fn*3 - 2
			var zr, zi float64
			k := int64(0)
			for ; k < 50; k++ {
				r2, i2 := zr*zr, zi*zi
				if r2+i2 > 4 {
					break
				}
				zi = math.FMA(zr+zr, zi, cy)
				zr = r2 - i2 + cx
			}
			sum += k
		}
	}
	return sum
}

// NBody is corpus/n_body.ir: five bodies, n steps of dt 0.01, the total
// energy.
func NBody(n int64) float64 {
	const bodies, dt = 5, 0.01
	var x, y, z, vx, vy, vz, m [bodies]float64
	for i := range bodies {
		fi := float64(i)
		x[i], y[i], z[i] = fi, fi*2, fi*3
		vx[i], vy[i], vz[i] = fi*0.1, fi*0.2, fi*0.3
		m[i] = fi + 1
	}
	for range n {
		for i := 0; i < bodies; i++ {
			for j := i + 1; j < bodies; j++ {
				dx, dy, dz := x[i]-x[j], y[i]-y[j], z[i]-z[j]
				d2 := dx*dx + dy*dy + dz*dz
				mag := dt / (d2 * math.Sqrt(d2))
				mi, mj := m[i]*mag, m[j]*mag
				vx[i] -= dx * mj
				vy[i] -= dy * mj
				vz[i] -= dz * mj
				vx[j] += dx * mi
				vy[j] += dy * mi
				vz[j] += dz * mi
			}
		}
		for i := range bodies {
			x[i] += vx[i] * dt
			y[i] += vy[i] * dt
			z[i] += vz[i] * dt
		}
	}
	var e float64
	for i := range bodies {
		kinetic := 0.5 * m[i] * (vx[i]*vx[i] + vy[i]*vy[i] + vz[i]*vz[i])
		var potential float64
		for j := i + 1; j < bodies; j++ {
			dx, dy, dz := x[i]-x[j], y[i]-y[j], z[i]-z[j]
			potential += m[i] * m[j] / math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
		e += kinetic - potential
	}
	return e
}
