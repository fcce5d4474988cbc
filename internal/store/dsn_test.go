package store_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store"
)

func TestRedactDSN(t *testing.T) {
	tests := []struct{ name, dsn, want string }{
		{"userinfo", "postgres://oms:s3cretPW@db:5432/oms?sslmode=disable", "postgres://oms:xxxxx@db:5432/oms?sslmode=disable"},
		{"no password", "postgres://oms@db/oms", "postgres://oms@db/oms"},
		{"query", "postgresql://oms@db/oms?sslmode=disable&password=s3cretPW", "postgresql://oms@db/oms?sslmode=disable&password=xxxxx"},
		{"query, any case", "postgres://db/oms?PassWord=s3cretPW&sslpassword=k3yPW", "postgres://db/oms?PassWord=xxxxx&sslpassword=xxxxx"},
		{"query, escaped key", "postgres://db/oms?pass%77ord=s3cretPW", "postgres://db/oms?pass%77ord=xxxxx"},
		{"both", "postgres://oms:s3cretPW@db/oms?password=s3cretPW", "postgres://oms:xxxxx@db/oms?password=xxxxx"},
		{"escaped userinfo", "postgres://oms:s3c%2Fret%40PW@db/oms", "postgres://oms:xxxxx@db/oms"},
		{"unescaped slash", "postgres://oms:s3c/retPW@db/oms", "postgres://xxxxx@db/oms"},
		{"unescaped at", "postgres://oms:s3c@retPW@db/oms", "postgres://oms:xxxxx@db/oms"},
		{"digits and a slash", "postgres://oms:1234/ret@db/oms", "postgres://xxxxx@db/oms"},
		{"bad port", "postgres://oms:s3cretPW@db:port/oms?password=s3cretPW", "postgres://xxxxx@db:port/oms?password=xxxxx"},
		{"key=value", "host=db user=oms password=s3cretPW dbname=oms", "host=db user=oms password=xxxxx dbname=oms"},
		{"key=value, spaced", "host=db password = s3cretPW dbname=oms", "host=db password = xxxxx dbname=oms"},
		{"key=value, quoted", `host=db password='s3c ret\'PW' dbname=oms`, "host=db password=xxxxx dbname=oms"},
		{"key=value, unterminated", `host=db password='s3c ret`, "host=db password=xxxxx"},
		{"key=value, first", "password=s3cretPW host=db", "password=xxxxx host=db"},
		{"sqlite path", "/var/lib/oms/oms.db", "/var/lib/oms/oms.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.RedactDSN(tt.dsn); got != tt.want {
				t.Errorf("RedactDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
			}
		})
	}
}

// FuzzRedactDSN: whatever the password, written as each form of connection
// string expects, the redacted string does not hold it.
func FuzzRedactDSN(f *testing.F) {
	for _, s := range []string{"s3cretPW", "p@ss/w?rd#", "with space", `it's\`, "päss&word=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if len(pw) < 4 {
			t.Skip("too short to tell from the rest")
		}
		quoted := "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw) + "'"
		for _, dsn := range []string{
			"postgres://" + url.UserPassword("oms", pw).String() + "@db:5432/oms?sslmode=disable",
			"postgres://oms@db/oms?sslmode=disable&password=" + url.QueryEscape(pw),
			"host=db user=oms password=" + quoted + " dbname=oms",
		} {
			if strings.Contains("postgres://oms@db:5432/oms?sslmode=disable&password=host=db user=oms dbname=oms xxxxx", pw) {
				t.Skip("the password is part of the rest")
			}
			if got := store.RedactDSN(dsn); strings.Contains(got, pw) {
				t.Errorf("RedactDSN(%q) = %q", dsn, got)
			}
		}
	})
}

// TestOpenHidesPassword: a PostgreSQL database that cannot be reached is
// reported without the password, in whatever form the dsn holds it.
func TestOpenHidesPassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://oms:s3cretPW@127.0.0.1:1/oms?sslmode=disable&connect_timeout=5",
		"postgres://oms@127.0.0.1:1/oms?password=s3cretPW&sslmode=disable",
		"postgres://oms:s3cretPW@127.0.0.1:port/oms",
		"postgres://oms:s3c/retPW@127.0.0.1:1/oms",
		"host=127.0.0.1 port=1 user=oms password=s3cretPW dbname=oms sslmode=disable",
		"host=127.0.0.1 port=1 user=oms password='s3cret PW' dbname=oms sslmode=disable",
		"host=127.0.0.1 port=bad user=oms password=s3cretPW",
	} {
		_, err := store.Open(context.Background(), dsn, store.Options{})
		if err == nil {
			t.Fatalf("%s: opened", dsn)
		}
		for _, part := range []string{"s3cret", "retPW"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("%s: %v", store.RedactDSN(dsn), err)
			}
		}
	}
}
