package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store"
)

// TestUserCommand: oms user create makes a user who can sign in with the
// password read from standard input, or with the one it prints; a bad
// field is an error naming it; oms user list shows them.
func TestUserCommand(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "oms.db")
	run := func(in string, args ...string) (string, error) {
		saved := stdin
		stdin = strings.NewReader(in)
		defer func() { stdin = saved }()
		var out, errOut bytes.Buffer
		err := userCommand(ctx, append(args, "--db", dsn), &out, &errOut)
		return out.String(), err
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err := run("correct horse battery\n", "create", "--email", "Ann@Example.com", "--name", "Ann Lee", "--role", "agent", "--password-stdin")
	if err != nil || !strings.Contains(out, "ann@example.com, Ann Lee (agent)") || strings.Contains(out, "password") {
		t.Fatalf("create with --password-stdin: %q, %v", out, err)
	}
	out, err = run("", "create", "--email", "wes@example.com", "--name", "Wes Park", "--role", "warehouse")
	_, printed, ok := strings.Cut(out, "password (shown only now): ")
	if err != nil || !ok {
		t.Fatalf("create without a password: %q, %v", out, err)
	}
	if _, err := run("", "create", "--email", "bad", "--name", "X", "--role", "agent"); err == nil || !strings.Contains(err.Error(), "email") {
		t.Errorf("a bad email: %v", err)
	}
	db, err = store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for email, pw := range map[string]string{"ann@example.com": "correct horse battery", "wes@example.com": strings.TrimSpace(printed)} {
		if _, err := db.SignIn(ctx, email, pw, "127.0.0.1"); err != nil {
			t.Errorf("sign in as %s: %v", email, err)
		}
	}
	out, err = run("", "list")
	if err != nil || !strings.Contains(out, "ann@example.com") || !strings.Contains(out, "Wes Park") {
		t.Errorf("list: %q, %v", out, err)
	}
}
