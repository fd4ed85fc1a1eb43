package testee

import (
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// bindings maps names to the Cells steps bound (conformance.md §6.1).
type bindings map[string]vm3.Cell

// resolve turns a vector's CellValue into a Cell (conformance.md §6.1
// "Arguments"); a malformed CellValue is a vector error.
func resolve(v *vm3pb.CellValue, b bindings) (vm3.Cell, error) {
	switch k := v.GetKind().(type) {
	case *vm3pb.CellValue_F64:
		return vm3.F64Cell(k.F64), nil
	case *vm3pb.CellValue_Int:
		c, err := vm3.IntCell(k.Int)
		if err != nil {
			return 0, vectorErrorf("int %d is outside 48 bits; use INT_CELL to test INT_OVERFLOW", k.Int)
		}
		return c, nil
	case *vm3pb.CellValue_Bool:
		return vm3.BoolCell(k.Bool), nil
	case *vm3pb.CellValue_Null:
		if !k.Null {
			return 0, vectorErrorf(`"null" must be true`)
		}
		return vm3.Null, nil
	case *vm3pb.CellValue_Bits:
		return vm3.Cell(k.Bits), nil
	case *vm3pb.CellValue_Handle:
		return handleCell(k.Handle.GetArena(), k.Handle.GetGeneration(), k.Handle.GetSlot())
	case *vm3pb.CellValue_Ref:
		return bound(k.Ref, b)
	case *vm3pb.CellValue_Forge:
		return forge(k.Forge, b)
	}
	return 0, vectorErrorf("a CellValue needs exactly one kind, got none")
}

// forge replaces fields of a bound handle pattern.
func forge(f *vm3pb.Forge, b bindings) (vm3.Cell, error) {
	base, err := bound(f.GetRef(), b)
	if err != nil {
		return 0, err
	}
	if uint64(base)>>48 != 0xFFFF {
		return 0, vectorErrorf("forge of %q: the bound Cell %v is not a handle pattern", f.GetRef(), base)
	}
	arena := vm3pb.Arena(uint64(base) >> 44 & 0xF)
	generation := uint32(uint64(base) >> 32 & 0xFFF)
	slot := uint32(base)
	if f.Arena != nil {
		arena = f.GetArena()
	}
	if f.Generation != nil {
		generation = f.GetGeneration()
	}
	if f.Slot != nil {
		slot = f.GetSlot()
	}
	return handleCell(arena, generation, slot)
}

// handleCell encodes a handle whose fields must fit their widths. Arenas 14
// and 15 are allowed: that is how a vector forges an undefined arena.
func handleCell(arena vm3pb.Arena, generation, slot uint32) (vm3.Cell, error) {
	if arena < 0 || arena > 15 {
		return 0, vectorErrorf("arena %d is outside 0..15", arena)
	}
	if generation > vm3.MaxGeneration {
		return 0, vectorErrorf("generation %d is outside 0..4095", generation)
	}
	return vm3.MakeHandle(arena, uint16(generation), slot), nil
}

func bound(name string, b bindings) (vm3.Cell, error) {
	c, ok := b[name]
	if !ok {
		return 0, vectorErrorf("%q is not bound by an earlier step", name)
	}
	return c, nil
}
