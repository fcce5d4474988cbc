package cli_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store/storetest"
)

// TestWebhooksCommand: oms webhooks creates an endpoint and prints its
// secret once, lists, rotates, disables, shows deliveries and deletes it;
// a loopback URL needs --allow-private.
func TestWebhooksCommand(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		if code, _, errOut := run("migrate", "--db", dsn); code != 0 {
			t.Fatalf("migrate: exit %d %s", code, errOut)
		}
		if code, _, errOut := run("webhooks", "create", "--db", dsn, "--url", "http://127.0.0.1:9/x", "--events", "order.*"); code == 0 || !strings.Contains(errOut, "url") {
			t.Errorf("loopback without --allow-private: exit %d %q", code, errOut)
		}
		code, out, errOut := run("webhooks", "create", "--db", dsn, "--url", "http://127.0.0.1:9/x", "--events", "order.*,return.*", "--allow-private")
		f := strings.Fields(out)
		if code != 0 || len(f) != 2 || !strings.HasPrefix(f[0], "we_") || !strings.HasPrefix(f[1], "whsec_") {
			t.Fatalf("create: exit %d %q %q", code, out, errOut)
		}
		id := f[0]
		if code, out, _ := run("webhooks", "list", "--db", dsn); code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "order.*,return.*") || strings.Contains(out, "whsec_") {
			t.Errorf("list: exit %d %q", code, out)
		}
		if code, out, _ := run("webhooks", "rotate", "--db", dsn, id); code != 0 || !strings.HasPrefix(out, "whsec_") || strings.TrimSpace(out) == f[1] {
			t.Errorf("rotate: exit %d %q", code, out)
		}
		if code, out, _ := run("webhooks", "disable", "--db", dsn, id); code != 0 || out != "disabled "+id+"\n" {
			t.Errorf("disable: exit %d %q", code, out)
		}
		if code, out, _ := run("webhooks", "list", "--db", dsn); code != 0 || !strings.Contains(out, "false") {
			t.Errorf("list after disable: %q", out)
		}
		if code, out, _ := run("webhooks", "deliveries", "--db", dsn, id); code != 0 || !strings.HasPrefix(out, "ID") {
			t.Errorf("deliveries: exit %d %q", code, out)
		}
		if code, out, _ := run("webhooks", "delete", "--db", dsn, id); code != 0 || out != "deleted "+id+"\n" {
			t.Errorf("delete: exit %d %q", code, out)
		}
		if code, _, _ := run("webhooks", "delete", "--db", dsn, id); code == 0 {
			t.Error("deleting again succeeded")
		}
	})
}
