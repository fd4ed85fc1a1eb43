package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/testee"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// moduleFlags are the flags `run` and `bench` share: which entry of which
// module to run, how to read its result, the heap and the engine.
type moduleFlags struct {
	module, entry, program string
	result                 bridge.ResultType
	resultSet              bool
	cfg                    vm3.Config
	interpreter            bool
	// uninterruptible is --uninterruptible: bridge.Options.Uninterruptible,
	// the opt-out of the context checks (and of the time limit).
	uninterruptible bool
	// host is --host LIB: the host library bound to the module's host
	// imports ("conformance": testee.HostLibrary); "" none.
	host string
	args []int64
}

func newModuleFlags() moduleFlags {
	return moduleFlags{cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}}
}

// options is the bridge's Options the flags ask for.
func (f *moduleFlags) options() bridge.Options {
	o := bridge.Options{Interpreter: f.interpreter, Uninterruptible: f.uninterruptible}
	if f.host == "conformance" {
		o.Host = testee.HostLibrary()
	}
	return o
}

// set applies one of the shared value flags; false when name is not one.
func (f *moduleFlags) set(name, value string) (bool, error) {
	var err error
	switch name {
	case "entry":
		if value == "" {
			return true, errors.New("needs a function name")
		}
		f.entry = value
	case "program":
		f.program = value
	case "host":
		if value != "conformance" {
			err = errors.New("want conformance (the one host library built into vm3-go)")
		}
		f.host = value
	case "result":
		f.result, err = bridge.ParseResultType(value)
		f.resultSet = true
	case "max-slots":
		f.cfg.MaxSlotsPerArena, err = strconv.ParseUint(value, 10, 64)
	case "max-bytes":
		f.cfg.MaxHeapBytes, err = strconv.ParseUint(value, 10, 64)
	case "variant":
		switch value {
		case "auto":
			f.cfg.Variant = vm3pb.Variant_AUTO
		case "minimal":
			f.cfg.Variant = vm3pb.Variant_MINIMAL
		case "stub":
			f.cfg.Variant = vm3pb.Variant_STUB
		default:
			err = errors.New("want auto, minimal or stub")
		}
	default:
		return false, nil
	}
	return true, err
}

// parseArgs reads the positional arguments after MODULE as decimal int64s.
func (f *moduleFlags) parseArgs(texts []string) error {
	for k, text := range texts {
		v, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return fmt.Errorf("argument %d: %q is not a decimal int64", k+1, text)
		}
		f.args = append(f.args, v)
	}
	return nil
}

// scanFlags splits argv into flags and positional arguments: `--` ends the
// flags, a negative number is an argument, `--name=value` and `--name value`
// both work. boolFlag(name) says which flags take no value; set applies the
// others (false: unknown flag). errHelp for -h / --help.
func scanFlags(argv []string, boolFlag func(name string) bool, set func(name, value string) (bool, error)) ([]string, error) {
	var positional []string
	for k := 0; k < len(argv); k++ {
		a := argv[k]
		if a == "--" {
			return append(positional, argv[k+1:]...), nil
		}
		if a == "-h" || a == "--help" || a == "-help" {
			return nil, errHelp
		}
		if !strings.HasPrefix(a, "-") || isNumber(a) {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if boolFlag(name) {
			if hasValue {
				return nil, fmt.Errorf("--%s takes no value", name)
			}
			set(name, "")
			continue
		}
		if !hasValue {
			if k+1 >= len(argv) {
				if known, _ := set(name, ""); !known {
					return nil, fmt.Errorf("unknown flag %s", a)
				}
				return nil, fmt.Errorf("--%s needs a value", name)
			}
			k++
			value = argv[k]
		}
		known, err := set(name, value)
		if !known {
			return nil, fmt.Errorf("unknown flag %s", a)
		}
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %v", name, value, err)
		}
	}
	return positional, nil
}

func isNumber(s string) bool {
	return len(s) > 1 && s[0] == '-' && s[1] >= '0' && s[1] <= '9'
}
