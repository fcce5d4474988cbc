package cli_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestAPIKeyListRevoke: oms apikey list shows the live keys without their
// secrets, and oms apikey revoke revokes one, never the last admin key.
func TestAPIKeyListRevoke(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		if code, _, errOut := run("migrate", "--db", dsn); code != 0 {
			t.Fatalf("migrate: exit %d %s", code, errOut)
		}
		secrets := map[string]string{}
		for _, role := range []string{"admin", "agent"} {
			code, out, errOut := run("apikey", "create", "--db", dsn, "--role", role, "--name", role+" desk")
			if code != 0 {
				t.Fatalf("create: exit %d %s", code, errOut)
			}
			secrets[role] = strings.TrimSpace(out)
		}
		list := func() map[string]string { // role → id
			t.Helper()
			code, out, errOut := run("apikey", "list", "--db", dsn)
			if code != 0 || errOut != "" {
				t.Fatalf("list: exit %d %q", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if !regexp.MustCompile(`^ID +PREFIX +ROLE +NAME +CREATED +LAST USED$`).MatchString(lines[0]) {
				t.Errorf("list header %q", lines[0])
			}
			ids := map[string]string{}
			for _, l := range lines[1:] {
				m := regexp.MustCompile(`^(key_\w+) +(oms_\S{6})… +(\w+) +(\w+ desk) +\S+Z +never$`).FindStringSubmatch(l)
				if m == nil || !strings.HasPrefix(secrets[m[3]], m[2]) {
					t.Fatalf("list line %q", l)
				}
				ids[m[3]] = m[1]
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Fatalf("the list shows a secret:\n%s", out)
				}
			}
			return ids
		}
		ids := list()
		if len(ids) != 2 {
			t.Fatalf("listed %v", ids)
		}
		for range 2 { // revoking again does nothing
			if code, out, errOut := run("apikey", "revoke", "--db", dsn, ids["agent"]); code != 0 || out != "revoked "+ids["agent"]+"\n" {
				t.Fatalf("revoke: exit %d %q %q", code, out, errOut)
			}
		}
		if got := list(); len(got) != 1 || got["admin"] == "" {
			t.Errorf("after revoking the agent key: %v", got)
		}
		for _, tt := range []struct {
			args []string
			code int
			want string
		}{
			{[]string{ids["admin"]}, 1, "oms apikey: " + ids["admin"] + " is the last admin key: create another admin key before revoking it\n"},
			{[]string{"key_nope"}, 1, "oms apikey: no API key has id \"key_nope\"\n"},
			{nil, 2, "oms apikey: revoke takes the id of one key\nUsage: oms apikey create"},
			{[]string{"a", "b"}, 2, "oms apikey: revoke takes the id of one key\nUsage: oms apikey create"},
		} {
			code, out, errOut := run(append([]string{"apikey", "revoke", "--db", dsn}, tt.args...)...)
			if code != tt.code || out != "" || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("revoke %v: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.args, code, out, errOut, tt.code, tt.want)
			}
		}
	})
}
