package cli_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms/internal/cli"
	"github.com/omshq/oms/internal/store/storetest"
)

// password is the one every connection string of these tests holds; its
// halves must not show either.
const password = "s3cret-PW"

func hidesPassword(t *testing.T, what, text string) {
	t.Helper()
	for _, part := range []string{password, "s3cret", "t-PW"} {
		if strings.Contains(text, part) {
			t.Errorf("%s shows the password (%q):\n%s", what, part, text)
			return
		}
	}
}

// TestDSNPasswordHidden: a database that cannot be reached or refuses the
// login is reported by every command, in one line (after serve's first log
// line), without the password, in whatever form the connection string holds
// it.
func TestDSNPasswordHidden(t *testing.T) {
	t.Chdir(t.TempDir()) // where a string taken for a SQLite path would become a file
	dsns := []string{
		"postgres://oms:" + password + "@127.0.0.1:1/oms?sslmode=disable",
		"postgresql://oms@127.0.0.1:1/oms?sslmode=disable&password=" + password,
		"postgres://oms:" + password + "@127.0.0.1:nope/oms",
		"postgres://oms:s3cret/t-PW@127.0.0.1:1/oms",
		"host=127.0.0.1 port=1 user=oms password=" + password + " dbname=oms sslmode=disable",
		"host=127.0.0.1 port=1 user=oms password='s3cret t-PW' dbname=oms sslmode=disable",
	}
	if base := os.Getenv(storetest.PostgresEnv); base != "" {
		// A server that answers, and refuses a role it does not know.
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword("no_such_role", password)
		dsns = append(dsns, u.String())
	}
	for _, dsn := range dsns {
		for _, args := range [][]string{
			{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, {"migrate", "--db", dsn}, {"check", "--db", dsn},
			{"apikey", "list", "--db", dsn}, {"apikey", "revoke", "--db", dsn, "key_1"},
			{"bench", "--db", dsn, "--duration", "1s"},
		} {
			// A bounded run: a command that took the string for a SQLite
			// path would make that file, and serve would serve it.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			var stdout, stderr syncBuffer
			code := cli.Run(ctx, args, &stdout, &stderr)
			cancel()
			out, errOut := stdout.String(), stderr.String()
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if code != 1 || !strings.HasPrefix(lines[len(lines)-1], "oms "+args[0]+": ") || (len(lines) > 1 && args[0] != "serve") {
				t.Errorf("%s on %s: exit %d, stderr %q", args[0], dsn, code, errOut)
			}
			hidesPassword(t, args[0]+" on "+dsn, out+errOut)
		}
	}
}

// syncBuffer is written by the server's goroutines and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeLogHidesPassword: oms serve and oms migrate name the database
// they opened without its password (the test server trusts every login,
// so any password connects).
func TestServeLogHidesPassword(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: %s is not set", storetest.PostgresEnv)
	}
	u, err := url.Parse(storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	withUser := *u
	withUser.User = url.UserPassword(u.User.Username(), password)
	q.Set("password", password)
	withQuery := *u
	withQuery.RawQuery = q.Encode()
	keyValue := "host=" + u.Hostname() + " port=" + u.Port() + " user=" + u.User.Username() + " password='" + password +
		"' dbname=" + strings.TrimPrefix(u.Path, "/") + " sslmode=disable search_path=" + schema
	for _, dsn := range []string{withUser.String(), withQuery.String(), keyValue} {
		code, out, errOut := run("migrate", "--db", dsn)
		if code != 0 || !strings.Contains(out, "xxxxx") {
			t.Fatalf("migrate: exit %d %q %q", code, out, errOut)
		}
		hidesPassword(t, "migrate", out+errOut)

		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		done := make(chan int)
		go func() {
			done <- cli.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, &stdout, &stderr)
		}()
		for start := time.Now(); !strings.Contains(stderr.String(), "oms listening"); time.Sleep(10 * time.Millisecond) {
			if time.Since(start) > 20*time.Second {
				cancel()
				t.Fatalf("serve did not start:\n%s%s", stdout.String(), stderr.String())
			}
		}
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve: exit %d:\n%s", code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "xxxxx") {
			t.Errorf("serve did not log the database:\n%s", stderr.String())
		}
		hidesPassword(t, "serve's log", stdout.String()+stderr.String())
	}
}
