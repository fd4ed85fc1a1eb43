package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/vm3-bridge/vm3/go-host/internal/wasmgen"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

const programs = "../../bridge/testdata/programs/"

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli(args, &out, &errb)
	return code, out.String(), errb.String()
}

// helloModule exports hello() -> i64 (a String Cell of "hello") and
// spin() (an endless loop).
func helloModule(t *testing.T) string {
	m := wasmgen.New()
	strNew := m.Import("vm3", "str_new", wasmgen.FuncType{Params: []wasmgen.ValType{wasmgen.I32, wasmgen.I32}, Results: []wasmgen.ValType{wasmgen.I64}})
	m.Memory(1, -1)
	m.Data(0, []byte("hello"))
	m.Export("hello", m.Func(wasmgen.FuncType{Results: []wasmgen.ValType{wasmgen.I64}}, nil, wasmgen.Code(nil).I32Const(0).I32Const(5).Call(strNew)))
	m.Export("spin", m.Func(wasmgen.FuncType{}, nil, wasmgen.Code(nil).Loop().Br(0).End()))
	m.Export("vm3_init", m.Func(wasmgen.FuncType{}, nil, nil))
	path := filepath.Join(t.TempDir(), "hello.wasm")
	if err := os.WriteFile(path, m.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	hello := helloModule(t)
	prog := &vm3pb.Program{Entry: "hello", Functions: []*vm3pb.Function{{Name: "hello", Result: vm3pb.Type_TYPE_STR}}}
	pb, _ := proto.Marshal(prog)
	progPath := filepath.Join(t.TempDir(), "hello.pb")
	os.WriteFile(progPath, pb, 0o644)
	for _, c := range []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"run", programs + "corpus/fib_rec.wasm", "--entry", "fib_rec", "--", "20"}, 0, "6765\n", ""},
		{[]string{"run", programs + "corpus/fib_rec.wasm", "--program", programs + "corpus/fib_rec.pb", "20"}, 0, "6765\n", ""},
		{[]string{"run", programs + "corpus/fib_rec.wasm", "--interpreter", "--entry=fib_rec", "10"}, 0, "55\n", ""},
		{[]string{"run", programs + "corpus/n_body.wasm", "--entry", "n_body", "0"}, 0, "-6.646141502673669\n", ""},
		{[]string{"run", programs + "traps/divide_by_zero.wasm", "--program", programs + "traps/divide_by_zero.pb", "--", "0"}, 1, "", "trap DIVIDE_BY_ZERO (code 12)\n"},
		{[]string{"run", programs + "corpus/lists_fill_sum.wasm", "--program", programs + "corpus/lists_fill_sum.pb", "--max-bytes", "100", "1000"}, 1, "", "trap OUT_OF_MEMORY (code 8)\n"},
		{[]string{"run", programs + "corpus/lists_fill_sum.wasm", "--program", programs + "corpus/lists_fill_sum.pb", "--stats", "1000"}, 0, "499500\n", "peak_live_slots 1\n"},
		{[]string{"run", hello, "--entry", "hello", "--result", "str"}, 0, "hello\n", ""},
		{[]string{"run", hello, "--entry", "hello"}, 0, "", ""}, // an i64: the Cell's bits
		{[]string{"run", hello, "--program", progPath}, 0, "hello\n", ""},
		{[]string{"run", hello, "--entry", "spin", "--timeout", "50ms"}, 1, "", "time limit"},
		{[]string{"run", hello, "--entry", "spin", "--result", "unit", "--variant", "stub", "--timeout=50ms"}, 1, "", "time limit"},
		{[]string{"run", programs + "host/basic.wasm", "--host", "conformance", "--program", programs + "host/basic.pb", "--entry", "greeting"}, 0, "hello, vm3\n", ""},
		{[]string{"run", programs + "host/refs.wasm", "--host=conformance", "--program", programs + "host/refs.pb", "1000"}, 0, "2000\n", ""},
		{[]string{"run", programs + "host/basic.wasm", "--host", "conformance", "--program", programs + "host/basic.pb", "--entry", "failing"}, 1, "", "trap HOST_ERROR (code 16)\nvm3: host_call: HOST_ERROR: host function @fail returned an error: boom\n"},
		// usage errors
		{[]string{"run", programs + "host/basic.wasm", "--program", programs + "host/basic.pb"}, 2, "", "import host.box (i64) -> host: no host function registered"},
		{[]string{"run", programs + "host/basic.wasm", "--host", "mine", "--entry", "x"}, 2, "", "--host mine: want conformance"},
		{[]string{}, 2, "", "usage: vm3-go run"},
		{[]string{"walk"}, 2, "", `unknown command "walk"`},
		{[]string{"run"}, 2, "", "missing MODULE.wasm"},
		{[]string{"run", hello}, 2, "", "--entry NAME is required"},
		{[]string{"run", hello, "--entry"}, 2, "", "--entry needs a value"},
		{[]string{"run", hello, "--entry", "hello", "--bogus"}, 2, "", "unknown flag --bogus"},
		{[]string{"run", hello, "--entry", "hello", "x"}, 2, "", `argument 1: "x" is not a decimal int64`},
		{[]string{"run", hello, "--entry", "hello", "1"}, 2, "", "hello takes 0 arguments, got 1"},
		{[]string{"run", hello, "--entry", "nope"}, 2, "", `no entry "nope" (entries: hello, spin)`},
		{[]string{"run", hello, "--entry", "hello", "--result", "f64"}, 2, "", "cannot carry a f64 result"},
		{[]string{"run", hello, "--entry", "hello", "--result", "string"}, 2, "", `result type "string"`},
		{[]string{"run", hello, "--entry", "hello", "--variant", "fast"}, 2, "", "--variant fast: want auto, minimal or stub"},
		{[]string{"run", hello, "--entry", "hello", "--max-slots", "-1"}, 2, "", "--max-slots -1"},
		{[]string{"run", hello, "--program", "x.ir"}, 2, "", "vm3 fmt x.ir --to json"},
		{[]string{"run", hello, "--program", progPath, "--result", "i64"}, 2, "", "--result i64, but hello returns str"},
		// failures
		{[]string{"run", "/nonexistent.wasm", "--entry", "x"}, 1, "", "no such file"},
		{[]string{"run", progPath, "--entry", "x"}, 1, "", "not a WebAssembly binary"},
	} {
		code, out, errs := runCLI(c.args...)
		if code != c.code || (c.stdout != "" || c.code != 0) && out != c.stdout || !strings.Contains(errs, c.errs) {
			t.Errorf("vm3-go %s: exit %d, stdout %q, stderr %q; want %d, %q, %q", strings.Join(c.args, " "), code, out, errs, c.code, c.stdout, c.errs)
		}
	}
	if code, out, _ := runCLI("--help"); code != 0 || !strings.Contains(out, "Exit status") {
		t.Errorf("--help: %d %q", code, out)
	}
	if code, out, _ := runCLI("run", "--help"); code != 0 || !strings.Contains(out, "--max-slots") {
		t.Errorf("run --help: %d %q", code, out)
	}
}
