package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestServeFlagsHaveEnvTwins: every flag oms serve --help lists names its
// OMS_* environment variable, spelled from the flag's name.
func TestServeFlagsHaveEnvTwins(t *testing.T) {
	var out strings.Builder
	if code := Run(context.Background(), []string{"serve", "--help"}, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(out.String(), -1)
	if len(flags) < 7 {
		t.Fatalf("only %d flags in:\n%s", len(flags), out.String())
	}
	// Each flag's text runs from its line to the next flag's.
	text := out.String()
	for i, f := range flags {
		start := strings.Index(text, "  -"+f[1])
		end := len(text)
		if i+1 < len(flags) {
			end = strings.Index(text, "  -"+flags[i+1][1])
		}
		env := "OMS_" + strings.ToUpper(strings.ReplaceAll(f[1], "-", "_"))
		if !strings.Contains(text[start:end], "(env "+env+")") {
			t.Errorf("-%s does not name %s:\n%s", f[1], env, text[start:end])
		}
	}
}

// Bad values from the environment are refused like bad flags.
func TestServeBadEnv(t *testing.T) {
	for _, c := range []struct{ env, value, says string }{
		{"OMS_GRACE", "soon", `OMS_GRACE="soon" is not a duration`},
		{"OMS_JOBS", "cron", `-jobs: "cron" is not river or loop`},
		{"OMS_LOG_FORMAT", "xml", `"xml" is not text or json`},
		{"OMS_WEBHOOKS_LEASE", "long", `OMS_WEBHOOKS_LEASE="long" is not a duration`},
		{"OMS_WEBHOOKS_LEASE", "10ms", `-webhooks-lease 10ms: give at least 1s`},
		{"OMS_SECURE_COOKIES", "yes", `OMS_SECURE_COOKIES="yes" is not true or false`},
		{"OMS_WEBHOOKS_ALLOW_PRIVATE", "maybe", `OMS_WEBHOOKS_ALLOW_PRIVATE="maybe" is not true or false`},
		{"OMS_METRICS_ADDR", "notanaddr", `-metrics-addr: "notanaddr" is not a host:port`},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, c.value)
			t.Setenv("OMS_DB", t.TempDir()+"/oms.db")
			var out strings.Builder
			if code := Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, &out, &out); code != 2 {
				t.Errorf("exit %d, want 2: %s", code, out.String())
			}
			if !strings.Contains(out.String(), c.says) {
				t.Errorf("output lacks %q:\n%s", c.says, out.String())
			}
		})
	}
}
