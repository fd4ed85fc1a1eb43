package bridge

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tetratelabs/wazero/api"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// HostType is an IR full type (ir.md §8.2) as the `vm3.host` custom section
// gives it (handle-abi.md §10.8): the type, its element type for a list,
// its shape number for a struct.
type HostType struct {
	Type   vm3pb.Type
	Elem   vm3pb.Type
	Struct uint32
	// AnyShape, only in a registered HostFunc's Sig ("struct" without a
	// shape number), matches a struct of every shape.
	AnyShape bool
}

var typeNames = map[vm3pb.Type]string{
	vm3pb.Type_TYPE_I64: "i64", vm3pb.Type_TYPE_F64: "f64", vm3pb.Type_TYPE_BOOL: "bool",
	vm3pb.Type_TYPE_STR: "str", vm3pb.Type_TYPE_MAP: "map", vm3pb.Type_TYPE_F64_ARR: "f64arr",
	vm3pb.Type_TYPE_ANY: "any", vm3pb.Type_TYPE_UNIT: "unit", vm3pb.Type_TYPE_HOST: "host",
}

// String is the type's IR text (ir-text.md), a struct as struct<N> with its
// shape number (the module knows no shape names).
func (t HostType) String() string {
	switch t.Type {
	case vm3pb.Type_TYPE_LIST:
		if t.Elem == vm3pb.Type_TYPE_I64 {
			return "list<i64>"
		}
		return "list<any>"
	case vm3pb.Type_TYPE_STRUCT:
		if t.AnyShape {
			return "struct"
		}
		return fmt.Sprintf("struct<%d>", t.Struct)
	}
	if s, ok := typeNames[t.Type]; ok {
		return s
	}
	return fmt.Sprintf("Type(%d)", int32(t.Type))
}

// valid is ir.md §8.11 rule 9 for one type: one of §8.2's, elem_type only on
// a list (I64 or ANY), struct_id only on a struct; unit only where result.
func (t HostType) valid(result bool) string {
	switch t.Type {
	case vm3pb.Type_TYPE_I64, vm3pb.Type_TYPE_F64, vm3pb.Type_TYPE_BOOL, vm3pb.Type_TYPE_STR, vm3pb.Type_TYPE_MAP,
		vm3pb.Type_TYPE_STRUCT, vm3pb.Type_TYPE_F64_ARR, vm3pb.Type_TYPE_ANY, vm3pb.Type_TYPE_HOST, vm3pb.Type_TYPE_LIST:
	case vm3pb.Type_TYPE_UNIT:
		if !result {
			return "a parameter of type unit"
		}
	default:
		return fmt.Sprintf("type %d is not an IR type (ir.md §8.2)", int32(t.Type))
	}
	if t.Type == vm3pb.Type_TYPE_LIST {
		if t.Elem != vm3pb.Type_TYPE_I64 && t.Elem != vm3pb.Type_TYPE_ANY {
			return fmt.Sprintf("a list of element type %d (want I64 or ANY)", int32(t.Elem))
		}
	} else if t.Elem != vm3pb.Type_TYPE_INVALID {
		return fmt.Sprintf("%v with element type %d", t, int32(t.Elem))
	}
	if t.Type != vm3pb.Type_TYPE_STRUCT && t.Struct != 0 {
		return fmt.Sprintf("%v with struct_id %d", t, t.Struct)
	}
	return ""
}

// wasm is the Wasm type the type crosses as (§10.8's table); false for unit.
func (t HostType) wasm() (api.ValueType, bool) {
	switch t.Type {
	case vm3pb.Type_TYPE_UNIT:
		return 0, false
	case vm3pb.Type_TYPE_F64:
		return api.ValueTypeF64, true
	case vm3pb.Type_TYPE_BOOL:
		return api.ValueTypeI32, true
	}
	return api.ValueTypeI64, true
}

// matches reports whether a registered signature's type t admits the
// module's declared type d.
func (t HostType) matches(d HostType) bool {
	if t.Type == vm3pb.Type_TYPE_STRUCT && t.AnyShape {
		return d.Type == vm3pb.Type_TYPE_STRUCT
	}
	return t.Type == d.Type && t.Elem == d.Elem && t.Struct == d.Struct
}

// HostSig is an IR host import's signature.
type HostSig struct {
	Params []HostType
	Result HostType
}

// String is "(str, i64) -> str".
func (s HostSig) String() string {
	ps := make([]string, len(s.Params))
	for k, p := range s.Params {
		ps[k] = p.String()
	}
	return "(" + strings.Join(ps, ", ") + ") -> " + s.Result.String()
}

func (s HostSig) wasmTypes() (params, results []api.ValueType) {
	params = make([]api.ValueType, len(s.Params))
	for k, p := range s.Params {
		params[k], _ = p.wasm()
	}
	if r, ok := s.Result.wasm(); ok {
		results = []api.ValueType{r}
	}
	return params, results
}

func (s HostSig) matches(d HostSig) bool {
	if len(s.Params) != len(d.Params) || !s.Result.matches(d.Result) {
		return false
	}
	for k := range s.Params {
		if !s.Params[k].matches(d.Params[k]) {
			return false
		}
	}
	return true
}

// ParseHostSig reads a signature in IR type text: "(str, i64) -> str",
// "() -> unit", "(struct<2>) -> host". A struct is struct<N> with its shape
// number N, or plain "struct" for any shape (a Go function cannot know the
// program's shape names).
func ParseHostSig(text string) (HostSig, error) {
	bad := func(why string) (HostSig, error) {
		return HostSig{}, fmt.Errorf("host signature %q: %s", text, why)
	}
	params, result, ok := strings.Cut(text, "->")
	params = strings.TrimSpace(params)
	if !ok || !strings.HasPrefix(params, "(") || !strings.HasSuffix(params, ")") {
		return bad("want (T, …) -> T")
	}
	var sig HostSig
	if inner := strings.TrimSpace(params[1 : len(params)-1]); inner != "" {
		for _, p := range strings.Split(inner, ",") {
			t, err := parseHostType(strings.TrimSpace(p))
			if err != nil {
				return bad(err.Error())
			}
			if why := t.valid(false); why != "" {
				return bad(why)
			}
			sig.Params = append(sig.Params, t)
		}
	}
	t, err := parseHostType(strings.TrimSpace(result))
	if err != nil {
		return bad(err.Error())
	}
	sig.Result = t
	return sig, nil
}

func parseHostType(s string) (HostType, error) {
	switch s {
	case "list<i64>":
		return HostType{Type: vm3pb.Type_TYPE_LIST, Elem: vm3pb.Type_TYPE_I64}, nil
	case "list<any>":
		return HostType{Type: vm3pb.Type_TYPE_LIST, Elem: vm3pb.Type_TYPE_ANY}, nil
	case "struct":
		return HostType{Type: vm3pb.Type_TYPE_STRUCT, AnyShape: true}, nil
	}
	if n, ok := strings.CutPrefix(s, "struct<"); ok && strings.HasSuffix(n, ">") {
		id, err := strconv.ParseUint(n[:len(n)-1], 10, 32)
		if err != nil {
			return HostType{}, fmt.Errorf("%q: want struct<N> with a shape number N", s)
		}
		return HostType{Type: vm3pb.Type_TYPE_STRUCT, Struct: uint32(id)}, nil
	}
	for t, name := range typeNames {
		if name == s {
			return HostType{Type: t}, nil
		}
	}
	return HostType{}, fmt.Errorf("%q is not an IR type", s)
}

// hostEntry is one entry of the vm3.host section.
type hostEntry struct {
	name string
	sig  HostSig
}

// parseHostSection reads a vm3.host custom section (handle-abi.md §10.8)
// strictly: every number an unsigned LEB128 of at most 5 bytes and 32 bits,
// names UTF-8, types valid, no bytes left over. Errors name the byte offset
// within the section's contents.
func parseHostSection(data []byte) ([]hostEntry, error) {
	p := sectionReader{data: data}
	count, err := p.u32("the import count")
	if err != nil {
		return nil, err
	}
	// Each entry takes at least 5 bytes (name length, parameter count, the
	// result's three numbers): a count the data cannot hold is refused
	// before allocating.
	if uint64(count) > uint64(len(data))/5 {
		return nil, fmt.Errorf("vm3.host: %d entries cannot fit in %d bytes", count, len(data))
	}
	entries := make([]hostEntry, 0, count)
	for k := uint32(0); k < count; k++ {
		n, err := p.u32(fmt.Sprintf("entry %d's name length", k))
		if err != nil {
			return nil, err
		}
		if uint64(n) > uint64(len(data)-p.at) {
			return nil, fmt.Errorf("vm3.host: entry %d's name of %d bytes at byte %d runs past the section's end", k, n, p.at)
		}
		name := data[p.at : p.at+int(n)]
		if !utf8.Valid(name) {
			return nil, fmt.Errorf("vm3.host: entry %d's name at byte %d is not UTF-8", k, p.at)
		}
		p.at += int(n)
		e := hostEntry{name: string(name)}
		np, err := p.u32(fmt.Sprintf("@%s's parameter count", e.name))
		if err != nil {
			return nil, err
		}
		if uint64(np) > uint64(len(data)-p.at)/3 {
			return nil, fmt.Errorf("vm3.host: @%s's %d parameters cannot fit in the section's %d bytes left", e.name, np, len(data)-p.at)
		}
		for j := uint32(0); j <= np; j++ {
			what := fmt.Sprintf("@%s's parameter %d", e.name, j)
			if j == np {
				what = fmt.Sprintf("@%s's result", e.name)
			}
			t, err := p.hostType(what, j == np)
			if err != nil {
				return nil, err
			}
			if j == np {
				e.sig.Result = t
			} else {
				e.sig.Params = append(e.sig.Params, t)
			}
		}
		entries = append(entries, e)
	}
	if p.at != len(data) {
		return nil, fmt.Errorf("vm3.host: %d bytes left over at byte %d", len(data)-p.at, p.at)
	}
	return entries, nil
}

type sectionReader struct {
	data []byte
	at   int
}

// u32 reads an unsigned LEB128 of at most 5 bytes whose value fits 32 bits.
func (p *sectionReader) u32(what string) (uint32, error) {
	start := p.at
	var v uint64
	for k := 0; ; k++ {
		if p.at >= len(p.data) {
			return 0, fmt.Errorf("vm3.host: truncated in %s at byte %d", what, start)
		}
		b := p.data[p.at]
		p.at++
		if k == 4 && b&0xF0 != 0 {
			return 0, fmt.Errorf("vm3.host: %s at byte %d is an over-long or over-large LEB128 (want at most 5 bytes and 32 bits)", what, start)
		}
		v |= uint64(b&0x7F) << (7 * k)
		if b&0x80 == 0 {
			return uint32(v), nil
		}
	}
}

func (p *sectionReader) hostType(what string, result bool) (HostType, error) {
	at := p.at
	var n [3]uint32
	for k, part := range []string{"type", "elem_type", "struct_id"} {
		v, err := p.u32(what + "'s " + part)
		if err != nil {
			return HostType{}, err
		}
		n[k] = v
	}
	if n[0] > 1<<31-1 || n[1] > 1<<31-1 {
		return HostType{}, fmt.Errorf("vm3.host: %s at byte %d: type numbers %d, %d are not IR types", what, at, n[0], n[1])
	}
	t := HostType{Type: vm3pb.Type(n[0]), Elem: vm3pb.Type(n[1]), Struct: n[2]}
	if why := t.valid(result); why != "" {
		return HostType{}, fmt.Errorf("vm3.host: %s at byte %d: %s", what, at, why)
	}
	return t, nil
}
