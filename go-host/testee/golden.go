package testee

import (
	"errors"
	"fmt"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// RunGolden answers a golden batch (conformance.md §6.3, §6.4): one
// EncodeOutcome per value, one DecodeOutcome per pattern. A value of a kind
// that cannot be encoded makes the request a protocol error.
func RunGolden(b *vm3pb.GoldenBatch) *vm3pb.TesteeResponse {
	res := &vm3pb.GoldenResult{}
	for i, v := range b.GetEncode() {
		out, err := encode(v)
		if err != nil {
			return protocolError(fmt.Sprintf("golden encode[%d]: %v", i, err))
		}
		res.Encoded = append(res.Encoded, out)
	}
	for _, bits := range b.GetDecode() {
		res.Decoded = append(res.Decoded, decode(vm3.Cell(bits)))
	}
	return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_Golden{Golden: res}}
}

func encode(v *vm3pb.CellValue) (*vm3pb.EncodeOutcome, error) {
	var c vm3.Cell
	var err error
	switch k := v.GetKind().(type) {
	case *vm3pb.CellValue_F64:
		c = vm3.F64Cell(k.F64)
	case *vm3pb.CellValue_Int:
		c, err = vm3.IntCell(k.Int)
	case *vm3pb.CellValue_Bool:
		c = vm3.BoolCell(k.Bool)
	case *vm3pb.CellValue_Null:
		if !k.Null {
			return nil, errors.New(`"null" must be true`)
		}
		c = vm3.Null
	case *vm3pb.CellValue_Handle:
		if c, err = handleCell(k.Handle.GetArena(), k.Handle.GetGeneration(), k.Handle.GetSlot()); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("only f64, int, bool, null and handle can be encoded")
	}
	if trap, ok := asTrap(err); ok {
		return &vm3pb.EncodeOutcome{Kind: &vm3pb.EncodeOutcome_Trap{Trap: trap.Code}}, nil
	}
	return &vm3pb.EncodeOutcome{Kind: &vm3pb.EncodeOutcome_Bits{Bits: uint64(c)}}, nil
}

func decode(c vm3.Cell) *vm3pb.DecodeOutcome {
	v, err := c.Decode()
	if trap, ok := asTrap(err); ok {
		return &vm3pb.DecodeOutcome{Kind: &vm3pb.DecodeOutcome_Trap{Trap: trap.Code}}
	}
	return &vm3pb.DecodeOutcome{Kind: &vm3pb.DecodeOutcome_Value{Value: cellValue(v)}}
}

// cellValue is the wire form of a decoded value.
func cellValue(v vm3.Value) *vm3pb.CellValue {
	switch v.Kind {
	case vm3.KindF64:
		return &vm3pb.CellValue{Kind: &vm3pb.CellValue_F64{F64: v.F64}}
	case vm3.KindInt:
		return &vm3pb.CellValue{Kind: &vm3pb.CellValue_Int{Int: v.Int}}
	case vm3.KindBool:
		return &vm3pb.CellValue{Kind: &vm3pb.CellValue_Bool{Bool: v.Bool}}
	case vm3.KindNull:
		return &vm3pb.CellValue{Kind: &vm3pb.CellValue_Null{Null: true}}
	}
	return &vm3pb.CellValue{Kind: &vm3pb.CellValue_Handle{Handle: &vm3pb.Handle{
		Arena: v.Arena, Generation: uint32(v.Generation), Slot: v.Slot,
	}}}
}

func asTrap(err error) (*vm3.Trap, bool) {
	var trap *vm3.Trap
	return trap, errors.As(err, &trap)
}
