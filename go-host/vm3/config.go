package vm3

import (
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Config is HeapConfig (heap.proto); zero fields take the spec defaults.
type Config struct {
	// VARIANT_UNSPECIFIED, and any number heap.proto does not define, is
	// MINIMAL.
	Variant vm3pb.Variant
	// 0 means 2^32 (arenas.md §2.6); a larger value is 2^32 too, since no
	// handle can name a slot beyond it.
	MaxSlotsPerArena uint64
	// 0 means DefaultMaxHeapBytes (arenas.md §2.6).
	MaxHeapBytes uint64
	// AUTO's minimum allocations between collections; 0 means 1024
	// (collection.md §4.5).
	AutoMinThreshold uint64
}

// ConfigFromProto converts a HeapConfig message; nil is the default config.
func ConfigFromProto(m *vm3pb.HeapConfig) Config {
	return Config{
		Variant:          m.GetVariant(),
		MaxSlotsPerArena: m.GetMaxSlotsPerArena(),
		MaxHeapBytes:     m.GetMaxHeapBytes(),
		AutoMinThreshold: m.GetAutoMinThreshold(),
	}
}

const (
	slotSpace            = 1 << 32
	defaultAutoThreshold = 1024
)

// DefaultMaxHeapBytes is the spec's default byte limit, 2^28 accounted bytes
// (arenas.md §2.6): with RealBytesFactor it bounds the live Go heap a guest
// can make to 768 MiB.
const DefaultMaxHeapBytes = 1 << 28

// RealBytesFactor is arenas.md §2.7's bound for this heap: live Go heap bytes
// per accounted byte, for any shape of any arena (worst: a 1-byte String).
const RealBytesFactor = 3

// limits is a Config with its defaults applied.
type limits struct {
	variant  vm3pb.Variant
	maxSlots uint64
	maxBytes uint64
	autoMin  uint64
	stub     bool
	auto     bool
}

func (c Config) resolve() limits {
	l := limits{variant: c.Variant, maxSlots: c.MaxSlotsPerArena, maxBytes: c.MaxHeapBytes, autoMin: c.AutoMinThreshold}
	switch l.variant {
	case vm3pb.Variant_STUB, vm3pb.Variant_MINIMAL, vm3pb.Variant_AUTO:
	default:
		l.variant = vm3pb.Variant_MINIMAL
	}
	if l.maxSlots == 0 || l.maxSlots > slotSpace {
		l.maxSlots = slotSpace
	}
	if l.maxBytes == 0 {
		l.maxBytes = DefaultMaxHeapBytes
	}
	if l.autoMin == 0 {
		l.autoMin = defaultAutoThreshold
	}
	l.stub = l.variant == vm3pb.Variant_STUB
	l.auto = l.variant == vm3pb.Variant_AUTO
	return l
}
