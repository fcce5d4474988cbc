package cli_test

import (
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestAPIKeyScope: oms apikey create binds a channel key to --channels
// (required) and a warehouse key to --locations; the key authenticates
// with them. A missing or unknown code is refused, naming the field.
func TestAPIKeyScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := seededDSN(t, e)
		code, chanKey, errOut := run("apikey", "create", "--db", dsn, "--role", "channel", "--name", "shops", "--channels", "shop, woo")
		if code != 0 {
			t.Fatalf("channel key: exit %d %s", code, errOut)
		}
		code, whKey, errOut := run("apikey", "create", "--db", dsn, "--role", "warehouse", "--name", "dock", "--locations", "wh1")
		if code != 0 {
			t.Fatalf("warehouse key: exit %d %s", code, errOut)
		}
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"--role", "channel", "--name", "x"}, "oms apikey: channels: is required for a channel key"},
			{[]string{"--role", "channel", "--name", "x", "--channels", "shop,nope"}, `oms apikey: channels[1]: no channel has code "nope"`},
			{[]string{"--role", "agent", "--name", "x", "--locations", "wh1"}, "oms apikey: locations: binds a warehouse key only"},
		} {
			code, out, errOut := run(append([]string{"apikey", "create", "--db", dsn}, tt.args...)...)
			if code != 1 || out != "" || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, out, errOut, tt.want)
			}
		}

		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		k, err := db.Authenticate(ctx, strings.TrimSpace(chanKey))
		if err != nil || strings.Join(k.Channels, ",") != "shop,woo" || k.Principal().CanSeeChannel("ebay") {
			t.Errorf("channel key: %+v %v", k, err)
		}
		w, err := db.Authenticate(ctx, strings.TrimSpace(whKey))
		if err != nil || strings.Join(w.Locations, ",") != "wh1" || w.Principal().ChannelBound() {
			t.Errorf("warehouse key: %+v %v", w, err)
		}
	})
}
