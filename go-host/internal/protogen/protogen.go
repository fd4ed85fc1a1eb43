// Package protogen turns the spec's .proto files into Go code without protoc:
// bufbuild's protocompile parses and links them in pure Go, and protoc-gen-go's
// own generator (internal_gengo) runs as a library on the result. The vm3pb
// package's up-to-date test and the vm3-protogen command share this code, so
// the committed files are exactly what the command writes.
package protogen

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sort"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/pluginpb"
)

// SourceGlob names the files generated from, relative to the import root
// (README.md: the wire formats live in proto/vm3/v1/*.proto).
const SourceGlob = "vm3/v1/*.proto"

// Sources lists the .proto files under importRoot that Generate compiles,
// as import paths ("vm3/v1/cell.proto"), sorted.
func Sources(importRoot string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(importRoot, filepath.FromSlash(SourceGlob)))
	if err != nil {
		return nil, err
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("no %s under %s", SourceGlob, importRoot)
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		rel, err := filepath.Rel(importRoot, m)
		if err != nil {
			return nil, err
		}
		names[i] = filepath.ToSlash(rel)
	}
	sort.Strings(names)
	return names, nil
}

// Generate compiles every source under importRoot and returns the generated
// Go files keyed by base name ("cell.pb.go"), ready to be written into the
// package directory named by the files' go_package option.
func Generate(importRoot string) (map[string][]byte, error) {
	names, err := Sources(importRoot)
	if err != nil {
		return nil, err
	}
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			ImportPaths: []string{importRoot},
		}),
		// Comments in the .proto files become doc comments in Go.
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	linked, err := compiler.Compile(context.Background(), names...)
	if err != nil {
		return nil, fmt.Errorf("compiling %s: %w", SourceGlob, err)
	}
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: names}
	// CodeGeneratorRequest wants every file after its dependencies.
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := 0; i < imports.Len(); i++ {
			add(imports.Get(i).FileDescriptor)
		}
		req.ProtoFile = append(req.ProtoFile, protodesc.ToFileDescriptorProto(fd))
	}
	for _, f := range linked {
		add(f)
	}
	return run(req)
}

func run(req *pluginpb.CodeGeneratorRequest) (map[string][]byte, error) {
	plugin, err := protogen.Options{}.New(req)
	if err != nil {
		return nil, err
	}
	plugin.SupportedFeatures = internal_gengo.SupportedFeatures
	plugin.SupportedEditionsMinimum = internal_gengo.SupportedEditionsMinimum
	plugin.SupportedEditionsMaximum = internal_gengo.SupportedEditionsMaximum
	for _, f := range plugin.Files {
		if f.Generate {
			internal_gengo.GenerateFile(plugin, f)
		}
	}
	resp := plugin.Response()
	if resp.Error != nil {
		return nil, fmt.Errorf("protoc-gen-go: %s", resp.GetError())
	}
	out := make(map[string][]byte, len(resp.File))
	for _, f := range resp.File {
		out[path.Base(f.GetName())] = []byte(f.GetContent())
	}
	return out, nil
}
