package bridge

import (
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// ProgramEntry resolves an entry of an IR program (ir.md §8.9): entry ""
// is the program's entry. It returns the function's name and the result
// type of its IR result, which tells a str entry (an i64 String Cell in
// Wasm) from an i64 one.
func ProgramEntry(p *vm3pb.Program, entry string) (string, ResultType, error) {
	if entry == "" {
		entry = p.GetEntry()
	}
	for _, fn := range p.GetFunctions() {
		if fn.GetName() != entry {
			continue
		}
		switch fn.GetResult() {
		case vm3pb.Type_TYPE_I64:
			return entry, ResultI64, nil
		case vm3pb.Type_TYPE_F64:
			return entry, ResultF64, nil
		case vm3pb.Type_TYPE_BOOL:
			return entry, ResultBool, nil
		case vm3pb.Type_TYPE_STR:
			return entry, ResultStr, nil
		case vm3pb.Type_TYPE_UNIT:
			return entry, ResultUnit, nil
		}
		return entry, 0, fmt.Errorf("%w: %s returns %v, not i64, f64, bool, str or unit (ir.md §8.9)", ErrEntry, entry, fn.GetResult())
	}
	return entry, 0, fmt.Errorf("%w: the program has no function %q", ErrEntry, entry)
}

// ReadProgram reads an IR program as proto3 JSON (a name ending in .json)
// or binary protobuf (.pb, .binpb). The text form (.ir) has no Go parser:
// convert it first with `vm3 fmt PROG.ir --to json`.
func ReadProgram(path string) (*vm3pb.Program, error) {
	if strings.HasSuffix(path, ".ir") {
		return nil, fmt.Errorf("%s: the IR text form has no Go reader; convert it with 'vm3 fmt %s --to json -o PROG.json'", path, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p := &vm3pb.Program{}
	switch {
	case strings.HasSuffix(path, ".json"):
		err = protojson.Unmarshal(data, p)
	case strings.HasSuffix(path, ".pb"), strings.HasSuffix(path, ".binpb"):
		err = proto.Unmarshal(data, p)
	default:
		return nil, fmt.Errorf("%s: want a .json (proto3 JSON) or .pb (binary) vm3.v1.Program", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
