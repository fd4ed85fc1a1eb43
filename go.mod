module github.com/vm3-bridge/vm3

go 1.26.8

require (
	github.com/bufbuild/protocompile v0.14.1
	github.com/tetratelabs/wazero v1.12.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/sync v0.8.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)
