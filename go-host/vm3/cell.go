// Package vm3 is the Go implementation of the vm3 handle ABI (vm3-spec/):
// 8-byte Cells, typed arenas of generation-tagged slots, the operations with
// their exact check order, and a deterministic mark-sweep collector.
//
// No operation panics on any Cell or integer a caller passes: every failure
// is a *Trap (traps.md), and a trapping operation changes nothing but an AUTO
// collection it ran (operations.md §3).
package vm3

import (
	"fmt"
	"math"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Cell is a 64-bit vm3 value: high 16 bits the tag, low 48 the payload
// (cell.md §1).
type Cell uint64

// Tags of cell.md §1.1. Tags below tagFloatEnd are float64 bit patterns.
const (
	tagFloatEnd   = 0xFFF8
	tagDeopt      = 0xFFF8
	tagShortStr   = 0xFFF9
	tagInt48      = 0xFFFA
	tagBool       = 0xFFFB
	tagNull       = 0xFFFC
	tagReservedD  = 0xFFFD
	tagReservedE  = 0xFFFE
	tagHandle     = 0xFFFF
	payloadBits   = 48
	payloadMask   = 1<<payloadBits - 1
	arenaSmallInt = 12
)

// Null is the null Cell (cell.md §1.2).
const Null Cell = tagNull << payloadBits

// canonicalNaN is the one NaN pattern a Cell may hold (cell.md §1.2).
const canonicalNaN Cell = 0x7FF8_0000_0000_0000

// Integer ranges of the canonical integer rule (cell.md §1.2).
const (
	SmallIntMin = -(1 << 30)
	SmallIntMax = 1<<30 - 1
	Int48Min    = -(1 << 47)
	Int48Max    = 1<<47 - 1
)

// MaxGeneration is the largest slot generation; freeing a slot at it wraps
// the generation to 0 (arenas.md §2.5).
const MaxGeneration = 4095

// F64Cell encodes a float64; every NaN becomes the canonical NaN so that one
// value has one pattern (cell.md §1.2). -0.0 keeps its sign.
func F64Cell(x float64) Cell {
	if x != x {
		return canonicalNaN
	}
	return Cell(math.Float64bits(x))
}

// IntCell encodes an integer by the canonical integer rule (cell.md §1.2): a
// SmallInt in [-2^30, 2^30), else an Int48, else INT_OVERFLOW.
func IntCell(i int64) (Cell, error) {
	c, ok := intCell(i)
	if !ok {
		return 0, trapf(vm3pb.TrapCode_INT_OVERFLOW, "int_cell", "%d is outside [-2^47, 2^47)", i)
	}
	return c, nil
}

func intCell(i int64) (Cell, bool) {
	switch {
	case i >= SmallIntMin && i <= SmallIntMax:
		return smallInt(i), true
	case i >= Int48Min && i <= Int48Max:
		return Cell(tagInt48)<<payloadBits | Cell(uint64(i)&payloadMask), true
	}
	return 0, false
}

// smallInt is the arena-12 handle pattern of i; i must be in SmallInt range.
func smallInt(i int64) Cell {
	return MakeHandle(arenaSmallInt, 0, uint32(i)&0x7FFF_FFFF)
}

// BoolCell encodes a bool (cell.md §1.2).
func BoolCell(b bool) Cell {
	if b {
		return Cell(tagBool)<<payloadBits | 1
	}
	return Cell(tagBool) << payloadBits
}

// MakeHandle encodes a handle pattern (cell.md §1.2). The arena is taken
// modulo 16 and the generation modulo 4096, the widths of their fields, so
// encoding never traps; whether the handle is valid or live is for Validate
// and the heap.
func MakeHandle(arena vm3pb.Arena, generation uint16, slot uint32) Cell {
	return Cell(tagHandle)<<payloadBits |
		Cell(uint32(arena)&0xF)<<44 |
		Cell(generation&MaxGeneration)<<32 |
		Cell(slot)
}

func (c Cell) tag() uint64 { return uint64(c) >> payloadBits }

// Handle fields; meaningful only when tag() == tagHandle.
func (c Cell) arena() uint32      { return uint32(c>>44) & 0xF }
func (c Cell) generation() uint16 { return uint16(c>>32) & MaxGeneration }
func (c Cell) slot() uint32       { return uint32(c) }

// isHeapHandle reports a handle pattern other than a SmallInt; the arena may
// be unimplemented or (for unvalidated Cells) undefined.
func (c Cell) isHeapHandle() bool {
	return c.tag() == tagHandle && c.arena() != arenaSmallInt
}

// String formats the bits the way diagnostics and the runner print them.
func (c Cell) String() string { return fmt.Sprintf("0x%016X", uint64(c)) }
