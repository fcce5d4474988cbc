package main_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// skipMarker, on the line before a README code block, keeps the block out of
// TestReadmeRuns, and says why.
const skipMarker = "<!-- not run by the README test:"

// TestReadmeRuns runs the README's shell examples, as written and in order,
// against a real "oms serve" on each engine: every block fenced as ```sh that
// calls curl, except one marked with skipMarker. curl is a shell function
// that calls the real curl against the server's address instead of
// localhost:8080, and fails the block on an answer of 400 or more.
func TestReadmeRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	blocks := readmeBlocks(t, "../../README.md")
	if len(blocks) < 8 {
		t.Fatalf("found %d runnable README blocks, want at least 8", len(blocks))
	}
	bin := buildOMS(t)
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		base, key := start(t, bin, e.DSN(t))
		dir := t.TempDir()
		log := filepath.Join(dir, "requests.log")
		// One shell runs every block, so that what one block sets (H, TOKEN)
		// the next may use, as in the reader's terminal.
		script := readmePrelude
		for _, b := range blocks {
			script += fmt.Sprintf("README_LINE=%d\n%s", b.line, b.text)
		}
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "KEY="+key, "OMS_BASE="+base, "OMS_LOG="+log)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("README: %v\n%s", err, out)
		}
		calls := requestsLogged(t, log)
		if calls < 25 {
			t.Errorf("the README blocks made %d requests, want at least 25", calls)
		}
	})
}

// readmePrelude stands in for the reader's shell: the key is the one the
// server printed, and curl reaches the server wherever it listens.
const readmePrelude = `set -eo pipefail
trap 'echo "failed in the README block at line $README_LINE" >&2' ERR
curl() {
  local args=() out code url
  for a in "$@"; do
    case "$a" in localhost:8080*) url="${a/localhost:8080/$OMS_BASE}"; args+=("$url") ;; *) args+=("$a") ;; esac
  done
  out=$(mktemp)
  code=$(command curl -sS -o "$out" -w '%{http_code}' "${args[@]}")
  echo "$code $url" >> "$OMS_LOG"
  if [ "$code" -ge 400 ] || [ "$code" -lt 200 ]; then
    echo "curl $url: HTTP $code" >&2; cat "$out" >&2; return 1
  fi
  cat "$out"
}
`

type readmeBlock struct {
	line int
	text string
}

// readmeBlocks returns the README's ```sh blocks that call curl, with the
// placeholder key line left out (the prelude's KEY is the real one).
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeBlock
	var cur *readmeBlock
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case cur == nil && l == "```sh" && !strings.HasPrefix(prev, skipMarker):
			cur = &readmeBlock{line: n}
		case cur != nil && l == "```":
			if strings.Contains(cur.text, "curl ") {
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil && !regexp.MustCompile(`^KEY=oms_…`).MatchString(l):
			cur.text += l + "\n"
		}
		prev = strings.TrimSpace(l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// requestsLogged checks the log the curl function wrote and counts its lines.
func requestsLogged(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines {
		code, _, _ := strings.Cut(l, " ")
		if c, err := strconv.Atoi(code); err != nil || c >= 400 {
			t.Errorf("README request answered %s", l)
		}
	}
	return len(lines)
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildOMS builds the oms binary once for every test of the package, as
// release testRelease.
func buildOMS(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "oms-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "oms")
		if out, err := exec.Command("go", "build", "-ldflags=-X github.com/omshq/oms/internal/version.release="+testRelease, "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return builtBin
}

// TestMain removes the binary buildOMS built.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}
