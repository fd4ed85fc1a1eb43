package testee

import (
	"context"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Serve answers one testee request (conformance.md §6.4): a vector gets its
// trace, a golden batch its results, a program run (with its handle-ABI
// module) its outcome, anything else a protocol error.
func Serve(req *vm3pb.TesteeRequest) *vm3pb.TesteeResponse {
	switch k := req.GetKind().(type) {
	case *vm3pb.TesteeRequest_Vector:
		return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_Trace{Trace: RunVector(k.Vector)}}
	case *vm3pb.TesteeRequest_Golden:
		return RunGolden(k.Golden)
	case *vm3pb.TesteeRequest_Program:
		if len(k.Program.GetWasm()) == 0 {
			return protocolError(errNoWasm.Error())
		}
		return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_Program{Program: RunProgram(context.Background(), k.Program)}}
	}
	return protocolError("request has no vector, golden or program")
}

func protocolError(msg string) *vm3pb.TesteeResponse {
	return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_ProtocolError{ProtocolError: msg}}
}
