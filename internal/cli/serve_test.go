package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNewLogger: json writes JSON lines at the level asked for; a line below
// the level is not written.
func TestNewLogger(t *testing.T) {
	var buf strings.Builder
	log, err := newLogger(&buf, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("refused", "status", 404)
	var line map[string]any
	if err := json.Unmarshal([]byte(buf.String()), &line); err != nil || line["level"] != "DEBUG" || line["status"] != 404.0 {
		t.Errorf("json debug line %q: %v", buf.String(), err)
	}
	buf.Reset()
	log, _ = newLogger(&buf, "warn", "text")
	log.Info("quiet")
	if buf.Len() != 0 {
		t.Errorf("an info line at warn level: %q", buf.String())
	}
}
