// Package vm3pb holds the Go code generated from vm3-spec/proto/vm3/v1 by
// go run ./go-host/cmd/vm3-protogen. Do not edit the *.pb.go files: change
// the .proto files and regenerate; uptodate_test.go fails while they differ.
package vm3pb
