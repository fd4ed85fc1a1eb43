package protogen

import (
	"errors"
	"os"
	"path/filepath"
)

// Repo-relative locations of the generator's input and output.
const (
	ProtoDir = "vm3-spec/proto"
	OutDir   = "go-host/vm3pb"
)

// FindRepoRoot walks up from dir to the directory holding go.mod and
// vm3-spec/, so the command works from any folder of the checkout.
func FindRepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if isFile(filepath.Join(dir, "go.mod")) && isDir(filepath.Join(dir, filepath.FromSlash(ProtoDir))) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no enclosing directory holds go.mod and " + ProtoDir)
		}
		dir = parent
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
