package testee

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Serve answers one testee request (conformance.md §6.4): a vector gets its
// trace, a golden batch its results, anything else a protocol error.
func Serve(req *vm3pb.TesteeRequest) *vm3pb.TesteeResponse {
	switch k := req.GetKind().(type) {
	case *vm3pb.TesteeRequest_Vector:
		return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_Trace{Trace: RunVector(k.Vector)}}
	case *vm3pb.TesteeRequest_Golden:
		return RunGolden(k.Golden)
	}
	return protocolError("request has neither vector nor golden")
}

func protocolError(msg string) *vm3pb.TesteeResponse {
	return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_ProtocolError{ProtocolError: msg}}
}
