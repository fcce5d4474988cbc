package sqldb

import "testing"

func TestRebindQuestion(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT $1, $2 WHERE x = $3", "SELECT ?, ? WHERE x = ?"},
		{"VALUES ($1, $2), ($3, $4)", "VALUES (?, ?), (?, ?)"},
		{"SET a = $2 WHERE b = $1", "SET a = ?2 WHERE b = ?1"},
		{"VALUES ($1, $2, $2)", "VALUES (?1, ?2, ?2)"},
		{"x = $10 AND y = $1", "x = ?10 AND y = ?1"},
		{"price$ = $1", "price$ = ?"},
		{"a = $", "a = $"},
	}
	for _, c := range cases {
		if got := rebindQuestion(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
