package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

// "oms bench --blockprofile --mutexprofile" writes both profiles.
func TestBenchProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the load tool for a second")
	}
	dir := t.TempDir()
	block, mutex := filepath.Join(dir, "block.pb"), filepath.Join(dir, "mutex.pb")
	code, _, errOut := run("bench", "--clients", "2", "--duration", "1s",
		"--warmup", "0s", "--items", "20", "--lookups", "0", "--json", "--blockprofile", block, "--mutexprofile", mutex)
	if code != 0 {
		t.Fatalf("bench: exit %d %s", code, errOut)
	}
	// A profile is a gzip-compressed protocol buffer.
	for _, path := range []string{block, mutex} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 20 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: %d bytes, not a profile", path, len(b))
		}
	}
}
