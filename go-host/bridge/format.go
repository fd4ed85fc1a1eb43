package bridge

import (
	"math"
	"strconv"
	"strings"
)

// FormatF64 prints f64 bits as ir-text.md's f64 literal printer does: the
// shortest round-trip digits in ECMAScript's Number::toString layout
// (JavaScript's String(x): 0.1, 1, 1e+21, 1.5e-7, 123456789012345680000),
// -0 for negative zero, inf and -inf, nan for the canonical NaN and
// nan:0x… (16 hex digits) for any other NaN pattern.
func FormatF64(bits uint64) string {
	x := math.Float64frombits(bits)
	switch {
	case x != x:
		if bits == CanonicalNaN {
			return "nan"
		}
		s := strconv.FormatUint(bits, 16)
		return "nan:0x" + strings.Repeat("0", 16-len(s)) + s
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == 0:
		if math.Signbit(x) {
			return "-0"
		}
		return "0"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	// Shortest digits d1 d2 … dk and exponent: x = 0.d1…dk × 10^n.
	e := strconv.FormatFloat(x, 'e', -1, 64) // "d.ddde±XX"
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	p, _ := strconv.Atoi(exp)
	k, n := len(digits), p+1
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		m := digits[:1]
		if k > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if n-1 < 0 {
			es = "-"
		}
		out = m + "e" + es + strconv.Itoa(abs(n-1))
	}
	return sign + out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
