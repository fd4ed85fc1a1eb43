// Package wasmgen writes small WebAssembly 2.0 binaries for tests,
// benchmarks and fuzzing of the bridge: a module of function imports, one
// memory, mutable globals, functions, exports and active data segments, and
// a byte-level instruction writer. It checks nothing a validator would; the
// engine's validator does that when the bytes are compiled.
package wasmgen

import (
	"encoding/binary"
	"fmt"
	"math"
)

// ValType is a Wasm value type byte.
type ValType byte

// Value types.
const (
	I32 ValType = 0x7F
	I64 ValType = 0x7E
	F32 ValType = 0x7D
	F64 ValType = 0x7C
)

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

// String formats like "(i64, i32) -> (i64)".
func (t FuncType) String() string {
	return fmt.Sprintf("%s -> %s", list(t.Params), list(t.Results))
}

func list(ts []ValType) string {
	s := "("
	for i, v := range ts {
		if i > 0 {
			s += ", "
		}
		s += v.String()
	}
	return s + ")"
}

// String is the text-format name.
func (v ValType) String() string {
	switch v {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("0x%02X", byte(v))
}

type imp struct {
	module, name string
	typ          uint32
}

type fn struct {
	typ    uint32
	locals []ValType
	body   []byte
}

type global struct {
	typ  ValType
	init uint64
}

type export struct {
	name  string
	kind  byte
	index uint32
}

type data struct {
	offset uint32
	bytes  []byte
}

// Module accumulates a module's sections. Function indexes count imports
// first, so every Import must come before the first Func.
type Module struct {
	types   []FuncType
	imports []imp
	funcs   []fn
	globals []global
	exports []export
	data    []data
	customs []custom
	// gimports are imported globals (written after the function imports;
	// each shifts the index of the globals Global defines by one).
	gimports []imp
	// memory: -1 none, else the minimum pages.
	memPages int64
	memMax   int64
}

type custom struct {
	name string
	data []byte
}

// ImportGlobal adds an imported immutable global of type t.
func (m *Module) ImportGlobal(module, name string, t ValType) {
	m.gimports = append(m.gimports, imp{module: module, name: name, typ: uint32(t)})
}

// Custom adds a custom section (written after the others, in call order).
func (m *Module) Custom(name string, data []byte) {
	m.customs = append(m.customs, custom{name, data})
}

// New returns an empty module without memory.
func New() *Module { return &Module{memPages: -1, memMax: -1} }

func (m *Module) typeIndex(t FuncType) uint32 {
	for i, u := range m.types {
		if equal(u.Params, t.Params) && equal(u.Results, t.Results) {
			return uint32(i)
		}
	}
	m.types = append(m.types, t)
	return uint32(len(m.types) - 1)
}

func equal(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Import adds a function import and returns its function index.
func (m *Module) Import(module, name string, t FuncType) uint32 {
	if len(m.funcs) > 0 {
		panic("wasmgen: Import after Func")
	}
	m.imports = append(m.imports, imp{module, name, m.typeIndex(t)})
	return uint32(len(m.imports) - 1)
}

// Func adds a function with extra locals (after the parameters) and a body
// (its instructions, without the final end) and returns its index.
func (m *Module) Func(t FuncType, locals []ValType, body []byte) uint32 {
	m.funcs = append(m.funcs, fn{m.typeIndex(t), locals, body})
	return uint32(len(m.imports) + len(m.funcs) - 1)
}

// NextFunc is the index the next Func will get.
func (m *Module) NextFunc() uint32 { return uint32(len(m.imports) + len(m.funcs)) }

// Global adds a mutable global initialised to the bits init and returns its
// index.
func (m *Module) Global(t ValType, init uint64) uint32 {
	m.globals = append(m.globals, global{t, init})
	return uint32(len(m.globals) - 1)
}

// Memory gives the module one memory of minPages pages (max -1 for none)
// and exports it as "memory".
func (m *Module) Memory(minPages, maxPages int64) {
	m.memPages, m.memMax = minPages, maxPages
	m.exports = append(m.exports, export{"memory", 2, 0})
}

// Export exports function index f as name.
func (m *Module) Export(name string, f uint32) {
	m.exports = append(m.exports, export{name, 0, f})
}

// Data adds an active data segment at offset of memory 0.
func (m *Module) Data(offset uint32, b []byte) {
	m.data = append(m.data, data{offset, append([]byte(nil), b...)})
}

// Bytes encodes the module.
func (m *Module) Bytes() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	section := func(id byte, body []byte) {
		out = append(out, id)
		out = U32(out, uint32(len(body)))
		out = append(out, body...)
	}
	var b []byte
	b = U32(nil, uint32(len(m.types)))
	for _, t := range m.types {
		b = append(b, 0x60)
		b = vec(b, t.Params)
		b = vec(b, t.Results)
	}
	section(1, b)
	if len(m.imports)+len(m.gimports) > 0 {
		b = U32(nil, uint32(len(m.imports)+len(m.gimports)))
		for _, im := range m.imports {
			b = name(b, im.module)
			b = name(b, im.name)
			b = append(b, 0)
			b = U32(b, im.typ)
		}
		for _, im := range m.gimports {
			b = name(b, im.module)
			b = name(b, im.name)
			b = append(b, 3, byte(im.typ), 0)
		}
		section(2, b)
	}
	b = U32(nil, uint32(len(m.funcs)))
	for _, f := range m.funcs {
		b = U32(b, f.typ)
	}
	section(3, b)
	if m.memPages >= 0 {
		b = U32(nil, 1)
		if m.memMax >= 0 {
			b = append(b, 1)
			b = U32(b, uint32(m.memPages))
			b = U32(b, uint32(m.memMax))
		} else {
			b = append(b, 0)
			b = U32(b, uint32(m.memPages))
		}
		section(5, b)
	}
	if len(m.globals) > 0 {
		b = U32(nil, uint32(len(m.globals)))
		for _, g := range m.globals {
			b = append(b, byte(g.typ), 1)
			switch g.typ {
			case I32:
				b = append(b, 0x41)
				b = S64(b, int64(int32(g.init)))
			case I64:
				b = append(b, 0x42)
				b = S64(b, int64(g.init))
			case F32:
				b = append(b, 0x43)
				b = binary.LittleEndian.AppendUint32(b, uint32(g.init))
			case F64:
				b = append(b, 0x44)
				b = binary.LittleEndian.AppendUint64(b, g.init)
			}
			b = append(b, 0x0B)
		}
		section(6, b)
	}
	b = U32(nil, uint32(len(m.exports)))
	for _, e := range m.exports {
		b = name(b, e.name)
		b = append(b, e.kind)
		b = U32(b, e.index)
	}
	section(7, b)
	b = U32(nil, uint32(len(m.funcs)))
	for _, f := range m.funcs {
		var body []byte
		body = U32(body, uint32(len(f.locals)))
		for _, l := range f.locals {
			body = U32(body, 1)
			body = append(body, byte(l))
		}
		body = append(body, f.body...)
		body = append(body, 0x0B)
		b = U32(b, uint32(len(body)))
		b = append(b, body...)
	}
	section(10, b)
	if len(m.data) > 0 {
		b = U32(nil, uint32(len(m.data)))
		for _, d := range m.data {
			b = append(b, 0, 0x41)
			b = S64(b, int64(int32(d.offset)))
			b = append(b, 0x0B)
			b = U32(b, uint32(len(d.bytes)))
			b = append(b, d.bytes...)
		}
		section(11, b)
	}
	for _, c := range m.customs {
		section(0, append(name(nil, c.name), c.data...))
	}
	return out
}

func vec(b []byte, ts []ValType) []byte {
	b = U32(b, uint32(len(ts)))
	for _, t := range ts {
		b = append(b, byte(t))
	}
	return b
}

func name(b []byte, s string) []byte {
	b = U32(b, uint32(len(s)))
	return append(b, s...)
}

// U32 appends v as unsigned LEB128.
func U32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

// S64 appends v as signed LEB128.
func S64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// Code is an instruction sequence under construction.
type Code []byte

// Op appends raw opcode bytes.
func (c Code) Op(b ...byte) Code { return append(c, b...) }

// I32Const appends i32.const v.
func (c Code) I32Const(v int32) Code { return S64(append(c, 0x41), int64(v)) }

// I64Const appends i64.const v.
func (c Code) I64Const(v int64) Code { return S64(append(c, 0x42), v) }

// F64Const appends f64.const x.
func (c Code) F64Const(x float64) Code {
	return binary.LittleEndian.AppendUint64(append(c, 0x44), math.Float64bits(x))
}

// LocalGet appends local.get i.
func (c Code) LocalGet(i uint32) Code { return U32(append(c, 0x20), i) }

// LocalSet appends local.set i.
func (c Code) LocalSet(i uint32) Code { return U32(append(c, 0x21), i) }

// LocalTee appends local.tee i.
func (c Code) LocalTee(i uint32) Code { return U32(append(c, 0x22), i) }

// GlobalGet appends global.get i.
func (c Code) GlobalGet(i uint32) Code { return U32(append(c, 0x23), i) }

// GlobalSet appends global.set i.
func (c Code) GlobalSet(i uint32) Code { return U32(append(c, 0x24), i) }

// Call appends call f.
func (c Code) Call(f uint32) Code { return U32(append(c, 0x10), f) }

// ReturnCall appends return_call f (the tail-call proposal).
func (c Code) ReturnCall(f uint32) Code { return U32(append(c, 0x12), f) }

// Block appends block with no result (or one result type).
func (c Code) Block(results ...ValType) Code { return blockType(append(c, 0x02), results) }

// Loop appends loop with no result.
func (c Code) Loop() Code { return append(c, 0x03, 0x40) }

// If appends if with no result (or one result type).
func (c Code) If(results ...ValType) Code { return blockType(append(c, 0x04), results) }

func blockType(c Code, results []ValType) Code {
	if len(results) == 0 {
		return append(c, 0x40)
	}
	return append(c, byte(results[0]))
}

// Else appends else.
func (c Code) Else() Code { return append(c, 0x05) }

// End appends end.
func (c Code) End() Code { return append(c, 0x0B) }

// Br appends br depth.
func (c Code) Br(depth uint32) Code { return U32(append(c, 0x0C), depth) }

// BrIf appends br_if depth.
func (c Code) BrIf(depth uint32) Code { return U32(append(c, 0x0D), depth) }

// Return appends return.
func (c Code) Return() Code { return append(c, 0x0F) }

// Drop appends drop.
func (c Code) Drop() Code { return append(c, 0x1A) }

// Unreachable appends unreachable.
func (c Code) Unreachable() Code { return append(c, 0x00) }

// Opcodes used by tests and benchmarks.
const (
	OpI32Eqz        = 0x45
	OpI32Add        = 0x6A
	OpI32Sub        = 0x6B
	OpI64Eqz        = 0x50
	OpI64Eq         = 0x51
	OpI64Ne         = 0x52
	OpI64LtS        = 0x53
	OpI64GtS        = 0x55
	OpI64LeS        = 0x57
	OpI64GeS        = 0x59
	OpI64Add        = 0x7C
	OpI64Sub        = 0x7D
	OpI64Mul        = 0x7E
	OpI64And        = 0x83
	OpI64Or         = 0x84
	OpI64Xor        = 0x85
	OpI64ShrU       = 0x88
	OpI32WrapI64    = 0xA7
	OpI64ExtendI32U = 0xAD
	OpF64Add        = 0xA0
)
