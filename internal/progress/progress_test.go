package progress

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestBarTextMovesWithBar draws a bar as a rebuild does and reads every
// frame written: each shows the text of the step its bar is at, never the
// text of the step before.
func TestBarTextMovesWithBar(t *testing.T) {
	const total = 20000
	var b bytes.Buffer
	p := New(Bar, &b, "rebuilding orders reports", "", total)
	for done := int64(0); done < total; done += 5000 {
		p.Set(done, fmt.Sprintf("%d of %d", done, total))
	}
	frameRE := regexp.MustCompile(`^\s*(\d+)% \|.*\| +rebuilding orders reports: (\d+) of 20000`)
	frames := 0
	for _, f := range strings.Split(b.String(), "\r") {
		m := frameRE.FindStringSubmatch(f)
		if m == nil {
			continue
		}
		frames++
		percent, _ := strconv.Atoi(m[1])
		done, _ := strconv.Atoi(m[2])
		if want := done * 100 / total; percent != want {
			t.Errorf("frame %q: the bar is at %d%%, its text at %d%%", f, percent, want)
		}
	}
	if frames < 4 {
		t.Errorf("%d frames with text in %q, want one for each of the 4 steps", frames, b.String())
	}
	// The full bar clears itself.
	b.Reset()
	p.Set(total, fmt.Sprintf("%d of %d", total, total))
	p.Finish()
	if s := strings.TrimSpace(strings.ReplaceAll(b.String(), "\r", "")); s != "" {
		t.Errorf("a full bar left %q", s)
	}
}
