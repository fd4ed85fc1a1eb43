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
	// HostEdges is how a Ref's pin holds what it reaches (collection.md
	// §4.7): HostEdgesWeak, the default, or HostEdgesStrong. Not a field of
	// heap.proto's HeapConfig: it changes no operation's result, only
	// whether Go's collector can free a cycle through a Ref (an embedder's
	// choice, like TypeScript's HeapConfig.hostEdges), so ConfigFromProto
	// leaves it at the default.
	HostEdges HostEdges
}

// HostEdges selects the design of a Ref's pin (collection.md §4.7).
type HostEdges uint8

const (
	// HostEdgesWeak (the zero value, the default): wrapper-owned weak host
	// edges. A collection finds what only Refs reach; the Host slots there
	// keep their values through weak pointers, the Refs hold the values,
	// and any operation that could root such a slot another way promotes
	// it back first (wrapperedges.go). A cycle Ref → object → Host slot →
	// Go value → Ref (Igalia's m1) is then Go's to collect. Any value
	// other than HostEdgesStrong means this.
	HostEdgesWeak HostEdges = iota
	// HostEdgesStrong: a Ref's pin is a plain root, the baseline design,
	// which never collects m1.
	HostEdgesStrong
)

// String is "weak" or "strong".
func (e HostEdges) String() string {
	if e == HostEdgesStrong {
		return "strong"
	}
	return "weak"
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
	// weakEdges: Config.HostEdges is not HostEdgesStrong.
	weakEdges bool
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
	l.weakEdges = c.HostEdges != HostEdgesStrong
	return l
}
