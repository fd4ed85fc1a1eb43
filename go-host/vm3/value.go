package vm3

import (
	"fmt"
	"math"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Kind says which field of a Value is meaningful.
type Kind uint8

// The kinds a valid Cell decodes to (cell.md §1.3).
const (
	KindF64 Kind = iota + 1
	KindInt
	KindBool
	KindNull
	KindHandle
)

func (k Kind) String() string {
	switch k {
	case KindF64:
		return "f64"
	case KindInt:
		return "int"
	case KindBool:
		return "bool"
	case KindNull:
		return "null"
	case KindHandle:
		return "handle"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Value is a decoded Cell. F64 for KindF64, Int for KindInt (SmallInt and
// Int48 alike), Bool for KindBool, Arena/Generation/Slot for KindHandle
// (a heap handle: never arena 12).
type Value struct {
	Kind       Kind
	F64        float64
	Int        int64
	Bool       bool
	Arena      vm3pb.Arena
	Generation uint16
	Slot       uint32
}

// Validate returns nil for a valid pattern and a BAD_CELL *Trap otherwise
// (cell.md §1.3).
func (c Cell) Validate() error {
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, "cell_check", "%v: %s", c, why)
	}
	return nil
}

// invalid names the first rule of cell.md §1.3 that c breaks, in the
// section's order, or returns "" for a valid pattern.
func (c Cell) invalid() string {
	switch tag := c.tag(); {
	case tag == tagDeopt || tag == tagShortStr || tag == tagReservedD || tag == tagReservedE:
		return fmt.Sprintf("reserved tag 0x%04X", tag)
	case tag < tagFloatEnd:
		if f := math.Float64frombits(uint64(c)); f != f && c != canonicalNaN {
			return "non-canonical NaN"
		}
	case tag == tagInt48:
		if i := c.int48(); i >= SmallIntMin && i <= SmallIntMax {
			return fmt.Sprintf("Int48 %d is in SmallInt range", i)
		}
	case tag == tagBool:
		if c&payloadMask > 1 {
			return "bool payload is not 0 or 1"
		}
	case tag == tagNull:
		if c&payloadMask != 0 {
			return "null payload is not 0"
		}
	default: // tagHandle
		switch a := c.arena(); {
		case a == 14 || a == 15:
			return fmt.Sprintf("undefined arena %d", a)
		case a == arenaSmallInt && (c.generation() != 0 || c.slot()&0x8000_0000 != 0):
			return "non-canonical SmallInt"
		}
	}
	return ""
}

// int48 sign-extends the 48-bit payload.
func (c Cell) int48() int64 { return int64(uint64(c)<<16) >> 16 }

// Decode returns the value of a valid Cell, or a BAD_CELL *Trap
// (cell.md §1.3).
func (c Cell) Decode() (Value, error) {
	if why := c.invalid(); why != "" {
		return Value{}, trapf(vm3pb.TrapCode_BAD_CELL, "decode", "%v: %s", c, why)
	}
	switch tag := c.tag(); {
	case tag < tagFloatEnd:
		return Value{Kind: KindF64, F64: math.Float64frombits(uint64(c))}, nil
	case tag == tagInt48:
		return Value{Kind: KindInt, Int: c.int48()}, nil
	case tag == tagBool:
		return Value{Kind: KindBool, Bool: c&1 == 1}, nil
	case tag == tagNull:
		return Value{Kind: KindNull}, nil
	}
	if c.arena() == arenaSmallInt {
		// The slot's low 31 bits, sign-extended from bit 30.
		return Value{Kind: KindInt, Int: int64(int32(c.slot()<<1) >> 1)}, nil
	}
	return Value{Kind: KindHandle, Arena: vm3pb.Arena(c.arena()), Generation: c.generation(), Slot: c.slot()}, nil
}

// Encode is the inverse of Decode (cell.md §1.2): INT_OVERFLOW for an integer
// outside 48 bits; a handle Value is encoded with MakeHandle.
func (v Value) Encode() (Cell, error) {
	switch v.Kind {
	case KindF64:
		return F64Cell(v.F64), nil
	case KindInt:
		return IntCell(v.Int)
	case KindBool:
		return BoolCell(v.Bool), nil
	case KindNull:
		return Null, nil
	case KindHandle:
		return MakeHandle(v.Arena, v.Generation, v.Slot), nil
	}
	return 0, trapf(vm3pb.TrapCode_BAD_CELL, "encode", "%v has no encoding", v.Kind)
}
