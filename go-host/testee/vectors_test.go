package testee

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/encoding/protojson"
)

// conformanceDir is conformance/vectors/ seen from this package's folder.
const conformanceDir = "../../conformance/vectors"

// vectorFile is one parsed file: an AbiVectorFile or a GoldenCellFile.
type vectorFile struct {
	path   string
	abi    *vm3pb.AbiVectorFile
	golden *vm3pb.GoldenCellFile
}

// loadVectorFiles parses every *.json under dir strictly (conformance.md §6:
// a file that does not parse is rejected whole, with its path and reason).
// The top-level key decides the schema: "vectors" or "cells".
func loadVectorFiles(t *testing.T, dir string) []vectorFile {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	sort.Strings(paths)
	var files []vectorFile
	for _, p := range paths {
		f, err := parseVectorFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		files = append(files, f)
	}
	return files
}

func parseVectorFile(p string) (vectorFile, error) {
	raw, err := os.ReadFile(p)
	if err != nil {
		return vectorFile{}, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return vectorFile{}, err
	}
	f := vectorFile{path: p}
	switch _, hasVectors := top["vectors"]; {
	case hasVectors:
		f.abi = &vm3pb.AbiVectorFile{}
		err = protojson.Unmarshal(raw, f.abi)
	case top["cells"] != nil:
		f.golden = &vm3pb.GoldenCellFile{}
		err = protojson.Unmarshal(raw, f.golden)
	default:
		err = fmt.Errorf(`neither "vectors" (AbiVectorFile) nor "cells" (GoldenCellFile) at the top level`)
	}
	return f, err
}

// judgeFiles runs and judges every vector and golden cell through Serve
// (conformance.md §6.2, §6.3), one subtest per file and vector.
func judgeFiles(t *testing.T, files []vectorFile) {
	for _, f := range files {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			for i, v := range f.abi.GetVectors() {
				name := fmt.Sprintf("%d %s", i, v.GetName())
				t.Run(name, func(t *testing.T) {
					resp := Serve(&vm3pb.TesteeRequest{Kind: &vm3pb.TesteeRequest_Vector{Vector: v}})
					if err := JudgeVector(v, resp.GetTrace()); err != nil {
						t.Errorf("%s: vector %q: %v", f.path, v.GetName(), err)
					}
				})
			}
			if f.golden != nil {
				cells := f.golden.GetCells()
				resp := Serve(&vm3pb.TesteeRequest{Kind: &vm3pb.TesteeRequest_Golden{Golden: GoldenBatch(cells)}})
				if pe := resp.GetProtocolError(); pe != "" {
					t.Fatalf("%s: protocol error: %s", f.path, pe)
				}
				for _, err := range JudgeGolden(cells, resp.GetGolden()) {
					t.Errorf("%s: %v", f.path, err)
				}
			}
		})
	}
}

// TestConformanceVectors judges the shared vectors, written by the spec's
// owners, on the Go heap.
func TestConformanceVectors(t *testing.T) {
	if _, err := os.Stat(conformanceDir); err != nil {
		t.Skipf("no %s yet (%v): the shared vector files are not written", conformanceDir, err)
	}
	files := loadVectorFiles(t, conformanceDir)
	if len(files) == 0 && !t.Failed() {
		t.Skipf("%s holds no *.json vector files yet", conformanceDir)
	}
	judgeFiles(t, files)
}

// TestOwnVectors judges this package's vectors in testdata/pass.
func TestOwnVectors(t *testing.T) {
	files := loadVectorFiles(t, "testdata/pass")
	if len(files) == 0 {
		t.Fatal("no vector files in testdata/pass")
	}
	judgeFiles(t, files)
}

// TestMalformedVectors: each vector's description is the Trace.error it
// must produce (conformance.md §6.1 "Vector errors").
func TestMalformedVectors(t *testing.T) {
	f, err := parseVectorFile("testdata/malformed.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.abi.GetVectors() {
		trace := RunVector(v)
		if got, want := trace.GetError(), v.GetDescription(); !strings.HasPrefix(got, want) {
			t.Errorf("vector %q: error %q, want %q", v.GetName(), got, want)
		}
		if err := JudgeVector(v, trace); err == nil || !strings.Contains(err.Error(), "vector error") {
			t.Errorf("vector %q: judged %v, want a vector error", v.GetName(), err)
		}
	}
}
