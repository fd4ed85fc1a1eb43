// Command vm3-protogen regenerates go-host/vm3pb from vm3-spec/proto/vm3/v1
// without protoc (RATIONALE.md: "Go's generated code comes from a pure-Go
// generator").
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vm3-bridge/vm3/go-host/internal/protogen"
)

const usage = `usage: go run ./go-host/cmd/vm3-protogen [-check]

Compiles vm3-spec/proto/vm3/v1/*.proto in pure Go (bufbuild/protocompile)
and writes the Go code protoc-gen-go would generate into go-host/vm3pb/,
replacing stale *.pb.go files. The repository root is found by walking up
from the current directory.

Flags:
`

func main() {
	check := flag.Bool("check", false, "write nothing; exit 1 if go-host/vm3pb is out of date")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), usage)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "vm3-protogen:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	root, err := protogen.FindRepoRoot(".")
	if err != nil {
		return err
	}
	files, err := protogen.Generate(filepath.Join(root, filepath.FromSlash(protogen.ProtoDir)))
	if err != nil {
		return err
	}
	outDir := filepath.Join(root, filepath.FromSlash(protogen.OutDir))
	existing, err := filepath.Glob(filepath.Join(outDir, "*.pb.go"))
	if err != nil {
		return err
	}
	var stale []string
	for _, p := range existing {
		if _, ok := files[filepath.Base(p)]; !ok {
			stale = append(stale, p)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var differ []string
	for _, name := range names {
		old, err := os.ReadFile(filepath.Join(outDir, name))
		if err != nil || !bytes.Equal(old, files[name]) {
			differ = append(differ, name)
		}
	}
	if check {
		if len(differ)+len(stale) == 0 {
			return nil
		}
		return fmt.Errorf("%s is out of date: %s", protogen.OutDir, strings.Join(append(differ, stale...), ", "))
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range differ {
		if err := os.WriteFile(filepath.Join(outDir, name), files[name], 0o644); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "wrote", filepath.Join(protogen.OutDir, name))
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "removed", p)
	}
	return nil
}
