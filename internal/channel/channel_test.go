package channel

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func read(t *testing.T, kind string, files ...File) []Record {
	t.Helper()
	var out []Record
	if err := Read(kind, files, func(r Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadShapes reads the same orders from each shape a JSON file may
// have, and says where each is.
func TestReadShapes(t *testing.T) {
	one, err := os.ReadFile("../../testdata/channels/woocommerce_order.json")
	if err != nil {
		t.Fatal(err)
	}
	one = bytes.TrimSpace(one)
	two := bytes.Replace(one, []byte(`"id": 10482`), []byte(`"id": 10483`), 1)
	lines := bytes.Count(one, []byte("\n")) + 1
	for _, c := range []struct {
		name  string
		data  string
		first int // line of the second order
	}{
		{"JSON lines", string(one) + "\n" + string(two) + "\n", lines + 1},
		{"array", "[\n" + string(one) + ",\n" + string(two) + "\n]", lines + 2},
		{"list response", "{\"orders\": [\n" + string(one) + ",\n" + string(two) + "]}", lines + 2},
	} {
		recs := read(t, "woocommerce", File{Name: "f.json", Data: []byte(c.data)})
		if len(recs) != 2 {
			t.Fatalf("%s: %d records", c.name, len(recs))
		}
		for i, want := range []string{"10482", "10483"} {
			if recs[i].Err != nil || recs[i].ID != want {
				t.Errorf("%s: record %d: id %q, %v", c.name, i, recs[i].ID, recs[i].Err)
			}
		}
		if recs[1].Line != c.first || !bytes.Equal(bytes.TrimSpace(recs[1].Raw), two) {
			t.Errorf("%s: second order at line %d, want %d", c.name, recs[1].Line, c.first)
		}
	}
	// A broken order is a record with its error; the others still read.
	broken := string(one) + "\n" + strings.Replace(string(two), `"quantity": 2`, `"quantity": "two"`, 1)
	recs := read(t, "woocommerce", File{Name: "f.json", Data: []byte(broken)})
	if len(recs) != 2 || recs[0].Err != nil || recs[1].Err == nil || recs[1].Line != lines+1 {
		t.Errorf("broken second order: %+v", recs)
	}
}
