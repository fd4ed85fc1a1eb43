package vm3pb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/internal/protogen"
)

// README.md: "go test ./go-host/vm3pb fails when the generated code is out
// of date". The test runs in go-host/vm3pb, two levels below the root.
func TestGeneratedCodeUpToDate(t *testing.T) {
	root, err := protogen.FindRepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	want, err := protogen.Generate(filepath.Join(root, filepath.FromSlash(protogen.ProtoDir)))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v; run go run ./go-host/cmd/vm3-protogen", name, err)
			continue
		}
		if !bytes.Equal(got, want[name]) {
			t.Errorf("%s differs from what vm3-protogen generates; run go run ./go-host/cmd/vm3-protogen", name)
		}
	}
	committed, err := filepath.Glob("*.pb.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range committed {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is not generated from any .proto; run go run ./go-host/cmd/vm3-protogen to remove it", name)
		}
	}
}
