package bridge

// The hostile guest, Go side (handle-abi.md §10.3): any i64 may arrive at any
// import. Two fuzz targets feed random Cells, integers and i32s to every
// import:
//
//   - FuzzImports calls the host functions directly (a fake guest memory for
//     str_new), many calls per input on one heap, and checks that each call
//     returns or panics with a *vm3.Trap of a defined code — nothing else —
//     that a trap changed nothing (outside AUTO), and the heap's invariants
//     after every call.
//   - FuzzGuestImports makes the same calls through wazero: a guest module
//     that exports one forwarder per import, so the trap crosses the engine
//     (panic, recovery, the error Call returns) and any other error (a Go
//     runtime panic in a host function) fails.
//
// Their seed corpora (fuzzSeeds: every import under three heap configs) run
// in every `go test ./...`. Longer runs (a short -fuzzminimizetime keeps the
// default 60 s minimisation of each new input from stalling the workers):
//
//	go test ./go-host/bridge -run '^$' -fuzz FuzzImports -fuzztime 5m -fuzzminimizetime 5s
//	go test ./go-host/bridge -run '^$' -fuzz FuzzGuestImports -fuzztime 5m -fuzzminimizetime 5s

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"google.golang.org/protobuf/proto"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// fuzzInput reads arguments from random bytes.
type fuzzInput struct {
	data  []byte
	cells []vm3.Cell // results seen so far, for live, stale and forged handles
}

func (p *fuzzInput) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

func (p *fuzzInput) u64() uint64 {
	var buf [8]byte
	for k := range buf {
		buf[k] = p.byte()
	}
	return binary.LittleEndian.Uint64(buf[:])
}

var oddCells = []vm3.Cell{
	0xFFF8_0000_0000_0000, 0xFFF9_0000_0000_0001, 0xFFFD_0000_0000_0000, 0xFFFE_0000_0000_0000,
	0x7FF0_0000_0000_0001, 0xFFFA_0000_0000_0005, 0xFFFA_7FFF_FFFF_FFFF, 0xFFFB_0000_0000_0002,
	0xFFFC_0000_0000_0001, 0xFFFF_E000_0000_0000, 0xFFFF_F000_0000_0000, 0xFFFF_C001_0000_0000,
	0xFFFF_C000_8000_0000, 0xFFFF_C000_0000_0003, 0xFFFF_0000_FFFF_FFFF, 0xFFFF_1FFF_FFFF_FFFF,
	vm3.Null, vm3.BoolCell(true), vm3.BoolCell(false), vm3.F64Cell(-0.5), vm3.F64Cell(math.Inf(1)),
	0, math.MaxUint64,
}

func (p *fuzzInput) cell() vm3.Cell {
	b := p.byte()
	switch {
	case b < 112 && len(p.cells) > 0:
		return p.cells[int(b)%len(p.cells)]
	case b < 160 && len(p.cells) > 0:
		c := p.cells[int(b)%len(p.cells)]
		arena := vm3pb.Arena(p.byte() % 16)
		return vm3.MakeHandle(arena, uint16(p.byte()%4), uint32(c))
	case b < 192:
		return vm3.MakeHandle(vm3pb.Arena(b%16), uint16(p.byte()%3), uint32(p.byte()%8))
	case b < 224:
		return vm3.Cell(p.u64())
	}
	return oddCells[int(b)%len(oddCells)]
}

var edgeInts = []int64{
	-1, 0, 1, 2, 3, vm3.MaxLength, vm3.MaxLength + 1, vm3.MaxFields, vm3.MaxFields + 1,
	1 << 31, 1 << 32, 1<<32 + 1, 1<<32 - 1, -1 << 31, 1 << 47, -1 << 47, 1<<47 - 1,
	math.MaxInt64, math.MinInt64, vm3.MaxFrameSlots, vm3.MaxFrameSlots + 1,
}

// integer is an `n` argument: mostly small, else an edge or any int64.
func (p *fuzzInput) integer() int64 {
	b := p.byte()
	switch {
	case b < 160:
		return int64(b % 8)
	case b < 232:
		return edgeInts[int(b)%len(edgeInts)]
	}
	return int64(p.u64())
}

// arg is one Cell, f64 or i32 argument (i32s mostly small: pointers and
// lengths into a 19-byte memory, trap codes, arenas, marks and slots).
func (p *fuzzInput) arg(t api.ValueType) uint64 {
	switch t {
	case api.ValueTypeI32:
		b := p.byte()
		switch {
		case b < 192:
			return uint64(b % 20)
		case b < 240:
			return uint64(uint32(edgeInts[int(b)%len(edgeInts)]))
		}
		return uint64(uint32(p.u64()))
	case api.ValueTypeF64:
		return p.u64()
	}
	return uint64(p.cell())
}

// args builds the arguments of spec into stack (Cells for c, integers
// for n, as the spec table declares them).
func (p *fuzzInput) args(spec *importSpec, stack []uint64) {
	for k, t := range spec.params {
		if t == api.ValueTypeI64 && isIntegerParam(spec.name, k) {
			stack[k] = uint64(p.integer())
		} else {
			stack[k] = p.arg(t)
		}
	}
}

// isIntegerParam reports whether parameter k of an import is an `n`.
func isIntegerParam(name string, k int) bool {
	switch name {
	case "list_new", "f64arr_new", "i64arr_new", "struct_new", "scope_exit":
		return true
	case "list_get", "list_set", "struct_get", "struct_set", "f64arr_get", "f64arr_set", "i64arr_get", "i64arr_set":
		return k == 1
	}
	return false
}

// snapshot is the heap's observable counters: a trapping operation changes
// none of them outside AUTO (operations.md §3).
func snapshot(h *vm3.Heap) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(h.Stats())
	if err != nil {
		panic(err)
	}
	return b
}

type fakeModule struct {
	api.Module
	mem *fakeMemory
}

func (m fakeModule) Memory() api.Memory { return m.mem }

type fakeMemory struct {
	api.Memory
	b []byte
}

func (m *fakeMemory) Size() uint32 { return uint32(len(m.b)) }

func (m *fakeMemory) Read(offset, n uint32) ([]byte, bool) {
	if uint64(offset)+uint64(n) > uint64(len(m.b)) {
		return nil, false
	}
	return m.b[offset : offset+n], true
}

// fuzzConfig is the heap of one input: any variant, small limits often.
// The byte limit is at most 1 MiB: a list_new of 2^28 fits the default 4 GiB
// and its first list_set materialises 2 GiB, which makes for a slow fuzzer,
// not a bug (accounted bytes are what the limit is for).
func fuzzConfig(b byte) vm3.Config {
	cfg := vm3.Config{Variant: vm3pb.Variant(b % 4), MaxHeapBytes: 1 << 20}
	if b&0x10 != 0 {
		cfg.MaxSlotsPerArena = uint64(b%7) + 1
	}
	if b&0x20 != 0 {
		cfg.MaxHeapBytes = 64 + uint64(b)*4
	}
	if b&0x40 != 0 {
		cfg.AutoMinThreshold = uint64(b%5) + 1
	}
	return cfg
}

// outcome checks what one import call did: nil, or the *vm3.Trap it
// panicked with (a defined code); anything else is an error.
func outcome(recovered any) (*vm3.Trap, error) {
	if recovered == nil {
		return nil, nil
	}
	t, ok := recovered.(*vm3.Trap)
	if !ok {
		return nil, fmt.Errorf("panicked with %T %v, not a *vm3.Trap", recovered, recovered)
	}
	if _, defined := vm3pb.TrapCode_name[int32(t.Code)]; !defined || t.Code == 0 {
		return nil, fmt.Errorf("trap with undefined code %d", t.Code)
	}
	return t, nil
}

// checkNow says when to run CheckInvariants, which is O(heap): after every
// call while the heap holds at most 64 KiB, else after traps and the last
// call (one i64arr_new(65535) would otherwise make every later step scan
// 65535 elements).
func checkNow(h *vm3.Heap, trap *vm3.Trap, last bool) bool {
	return trap != nil || last || h.Stats().GetHeapBytes() <= 64<<10
}

func callDirect(spec *importSpec, r *run, mod api.Module, stack []uint64) (trap *vm3.Trap, err error) {
	defer func() { trap, err = outcome(recover()) }()
	spec.fn(r, mod, stack)
	if spec.allocates {
		r.sample()
	}
	return nil, nil
}

func FuzzImports(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(fuzzImports)
}

func fuzzImports(t *testing.T, data []byte) {
	{ // one heap, up to 64 calls
		p := &fuzzInput{data: data}
		cfg := fuzzConfig(p.byte())
		r := &run{heap: vm3.NewHeap(cfg)}
		mem := &fakeMemory{b: []byte("0123456789abcdef\x00\xff\xfe")}
		mod := fakeModule{mem: mem}
		stack := make([]uint64, 4)
		for step := 0; step < 64 && len(p.data) > 0; step++ {
			spec := &imports[int(p.byte())%len(imports)]
			p.args(spec, stack)
			in := append([]uint64(nil), stack[:len(spec.params)]...)
			before := snapshot(r.heap)
			trap, err := callDirect(spec, r, mod, stack)
			if err != nil {
				t.Fatalf("step %d: %s%x: %v", step, spec.name, in, err)
			}
			if trap != nil && cfg.Variant != vm3pb.Variant_AUTO && string(snapshot(r.heap)) != string(before) {
				t.Fatalf("step %d: %s%x trapped %v but changed the heap", step, spec.name, in, trap)
			}
			if trap == nil && len(spec.results) == 1 && spec.results[0] == api.ValueTypeI64 {
				p.cells = append(p.cells, vm3.Cell(stack[0]))
			}
			if checkNow(r.heap, trap, step == 63 || len(p.data) == 0) {
				if err := r.heap.CheckInvariants(); err != nil {
					t.Fatalf("step %d: after %s%x (trap %v): %v", step, spec.name, in, trap, err)
				}
			}
			if r.peak < r.heap.LiveSlots() {
				t.Fatalf("step %d: peak %d below live %d", step, r.peak, r.heap.LiveSlots())
			}
		}
	}
}

// forwarder is a guest exporting f_NAME for every import NAME with the same
// signature, each just calling the import.
var forwarder = sync.OnceValue(func() []byte {
	names := make([]string, len(imports))
	for k := range imports {
		names[k] = imports[k].name
	}
	g := newGuest(names...)
	g.Data(0, []byte("0123456789abcdef\x00\xff\xfe"))
	for _, name := range names {
		t := importType(name)
		var body code
		for k := range t.Params {
			body = body.LocalGet(uint32(k))
		}
		g.entry("f_"+name, t, nil, body.Op(g.call(name)...))
	}
	return g.bytes()
})

var fuzzModule = sync.OnceValues(func() (*Module, error) {
	return Compile(context.Background(), forwarder(), Options{})
})

func FuzzGuestImports(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := fuzzModule()
		if err != nil {
			t.Fatal(err)
		}
		p := &fuzzInput{data: data}
		cfg := fuzzConfig(p.byte())
		ctx := context.Background()
		inst, res, err := m.Instantiate(ctx, cfg)
		if err != nil || res.Trap != nil {
			t.Fatalf("instantiate: %v %v", err, res.Trap)
		}
		defer inst.Close(ctx)
		stack := make([]uint64, 4)
		for step := 0; step < 64 && len(p.data) > 0; step++ {
			spec := &imports[int(p.byte())%len(imports)]
			p.args(spec, stack)
			in := append([]uint64(nil), stack[:len(spec.params)]...)
			trap, err := inst.Call(ctx, "f_"+spec.name, stack)
			if err != nil {
				t.Fatalf("step %d: %s%x: %v", step, spec.name, in, err)
			}
			if _, err := outcome(trapOrNil(trap)); err != nil {
				t.Fatalf("step %d: %s%x: %v", step, spec.name, in, err)
			}
			if trap == nil && len(spec.results) == 1 && spec.results[0] == api.ValueTypeI64 {
				p.cells = append(p.cells, vm3.Cell(stack[0]))
			}
			if heap := mustHeap(t, inst); checkNow(heap, trap, step == 63 || len(p.data) == 0) {
				if err := heap.CheckInvariants(); err != nil {
					t.Fatalf("step %d: after %s%x (trap %v): %v", step, spec.name, in, trap, err)
				}
			}
		}
	})
}

func trapOrNil(t *vm3.Trap) any {
	if t == nil {
		return nil
	}
	return t
}

// fuzzSeeds are inputs that reach every import with plausible arguments:
// for each import, a heap config byte, then a list_new(3), then the import
// fed from the pool; plus a few byte patterns.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	listNew := byte(indexOf("list_new"))
	for k := range imports {
		for _, cfg := range []byte{0x00, 0x02, 0x53} {
			s := []byte{cfg, listNew, 3, byte(k), 0, 1, 2, listNew, 240, byte(k), 200, 255, 7, 1, byte(k), 130, 3, 0}
			seeds = append(seeds, s)
		}
	}
	seeds = append(seeds, []byte{}, []byte{0xFF}, []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"))
	return seeds
}

func indexOf(name string) int {
	for k := range imports {
		if imports[k].name == name {
			return k
		}
	}
	panic(name)
}
