package vm3

import (
	"math"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func TestF64Cell(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		bits Cell
	}{
		{0, 0},
		{math.Copysign(0, -1), 0x8000_0000_0000_0000},
		{1, 0x3FF0_0000_0000_0000},
		{math.Inf(1), 0x7FF0_0000_0000_0000},
		{math.Inf(-1), 0xFFF0_0000_0000_0000},
		{math.NaN(), 0x7FF8_0000_0000_0000},
		{math.Float64frombits(0xFFF8_0000_0000_0001), 0x7FF8_0000_0000_0000},
		{math.Float64frombits(0x7FF0_0000_0000_0001), 0x7FF8_0000_0000_0000},
		{-math.MaxFloat64, 0xFFEF_FFFF_FFFF_FFFF},
	} {
		if got := F64Cell(tc.x); got != tc.bits {
			t.Errorf("F64Cell(%v) = %v, want %v", tc.x, got, tc.bits)
		}
		v, err := tc.bits.Decode()
		ok(t, err)
		if v.Kind != KindF64 || F64Cell(v.F64) != tc.bits {
			t.Errorf("Decode(%v) = %+v", tc.bits, v)
		}
	}
}

func TestIntCell(t *testing.T) {
	for _, tc := range []struct {
		i    int64
		bits Cell
	}{
		{0, 0xFFFF_C000_0000_0000},
		{-1, 0xFFFF_C000_7FFF_FFFF},
		{1, 0xFFFF_C000_0000_0001},
		{SmallIntMax, 0xFFFF_C000_3FFF_FFFF},
		{SmallIntMin, 0xFFFF_C000_4000_0000},
		{SmallIntMax + 1, 0xFFFA_0000_4000_0000},
		{SmallIntMin - 1, 0xFFFA_FFFF_BFFF_FFFF},
		{Int48Max, 0xFFFA_7FFF_FFFF_FFFF},
		{Int48Min, 0xFFFA_8000_0000_0000},
	} {
		got, err := IntCell(tc.i)
		ok(t, err)
		if got != tc.bits {
			t.Errorf("IntCell(%d) = %v, want %v", tc.i, got, tc.bits)
		}
		v, err := tc.bits.Decode()
		ok(t, err)
		if v.Kind != KindInt || v.Int != tc.i {
			t.Errorf("Decode(%v) = %+v, want int %d", tc.bits, v, tc.i)
		}
		back, err := v.Encode()
		ok(t, err)
		if back != tc.bits {
			t.Errorf("Encode(Decode(%v)) = %v", tc.bits, back)
		}
	}
	for _, i := range []int64{Int48Max + 1, Int48Min - 1, math.MaxInt64, math.MinInt64} {
		_, err := IntCell(i)
		wantTrap(t, err, vm3pb.TrapCode_INT_OVERFLOW)
	}
}

func TestOtherEncodings(t *testing.T) {
	if BoolCell(false) != 0xFFFB_0000_0000_0000 || BoolCell(true) != 0xFFFB_0000_0000_0001 {
		t.Error("bool encodings")
	}
	if Null != 0xFFFC_0000_0000_0000 {
		t.Error("null encoding")
	}
	if got := MakeHandle(vm3pb.Arena_ARENA_HOST, 4095, 0xFFFF_FFFF); got != 0xFFFF_DFFF_FFFF_FFFF {
		t.Errorf("MakeHandle = %v", got)
	}
	if got := MakeHandle(vm3pb.Arena_ARENA_LIST, 4096+7, 9); got != 0xFFFF_1007_0000_0009 {
		t.Errorf("MakeHandle masks the generation: %v", got)
	}
	v, err := MakeHandle(vm3pb.Arena_ARENA_STRUCT, 3, 5).Decode()
	ok(t, err)
	if v != (Value{Kind: KindHandle, Arena: vm3pb.Arena_ARENA_STRUCT, Generation: 3, Slot: 5}) {
		t.Errorf("handle decodes to %+v", v)
	}
	for _, c := range []Cell{BoolCell(true), BoolCell(false), Null} {
		v, err := c.Decode()
		ok(t, err)
		if back, _ := v.Encode(); back != c {
			t.Errorf("%v round-trips to %v", c, back)
		}
	}
}

// TestValidate covers every rule of cell.md §1.3 and the patterns just
// inside each.
func TestValidate(t *testing.T) {
	bad := []Cell{
		0xFFF8_0000_0000_0000, 0xFFF9_0000_0000_0001, 0xFFFD_0000_0000_0000, 0xFFFE_FFFF_FFFF_FFFF, // reserved
		0x7FF0_0000_0000_0001, 0x7FF8_0000_0000_0001, 0xFFF7_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, // NaN
		0xFFFA_0000_0000_0005, 0xFFFA_FFFF_FFFF_FFFF, 0xFFFA_0000_3FFF_FFFF, 0xFFFA_FFFF_C000_0000, // Int48 in SmallInt range
		0xFFFB_0000_0000_0002, 0xFFFB_8000_0000_0000, // bool
		0xFFFC_0000_0000_0001,                        // null
		0xFFFF_E000_0000_0000, 0xFFFF_F000_0000_0001, // arenas 14, 15
		0xFFFF_C001_0000_0000, 0xFFFF_C000_8000_0000, // SmallInt
	}
	for _, c := range bad {
		wantTrap(t, c.Validate(), vm3pb.TrapCode_BAD_CELL)
		_, err := c.Decode()
		wantTrap(t, err, vm3pb.TrapCode_BAD_CELL)
	}
	good := []Cell{
		0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFFA_0000_4000_0000, 0xFFFA_FFFF_BFFF_FFFF,
		0xFFFF_0000_0000_0000, 0xFFFF_2FFF_FFFF_FFFF, 0xFFFF_DFFF_FFFF_FFFF, 0xFFFF_C000_7FFF_FFFF,
	}
	for _, c := range good {
		ok(t, c.Validate())
		v, err := c.Decode()
		ok(t, err)
		if back, err := v.Encode(); err != nil || back != c {
			t.Errorf("%v decodes to %+v and encodes to %v, %v", c, v, back, err)
		}
	}
}
