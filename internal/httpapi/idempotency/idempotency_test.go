package idempotency

import "testing"

// TestWithoutFields: the members named are left out, the rest kept as they
// were, in order.
func TestWithoutFields(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"one member", `{"id":"k1","secret":"oms_x","role":"agent"}`, `{"id":"k1","role":"agent"}` + "\n"},
		{"nested values kept as sent", `{"a":{"secret":1},"token":"t","b":[1, 2]}`, `{"a":{"secret":1},"b":[1, 2]}` + "\n"},
		{"nothing left", `{"secret":"s"}`, "{}\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := withoutFields([]byte(c.in), map[string]bool{"secret": true, "token": true})
			if err != nil || string(got) != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	if _, err := withoutFields([]byte(`["secret"]`), map[string]bool{"secret": true}); err == nil {
		t.Error("an array was taken for an object")
	}
}
