package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestAPIKeyScope: a channel key names the channels it acts for, one or
// more that exist; only a warehouse key may name locations; the key
// authenticates with its scope; and the api_key.created event carries no
// part of the secret.
func TestAPIKeyScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		db := storetest.Open(t, e)
		seed(t, db)
		for _, c := range []struct {
			name   string
			role   oms.Role
			scope  oms.KeyScope
			fields []string
		}{
			{"a channel key without channels", oms.RoleChannel, oms.KeyScope{}, []string{"channels"}},
			{"an unknown channel", oms.RoleChannel, oms.KeyScope{Channels: []string{"web", "nope"}}, []string{"channels[1]"}},
			{"a bad code", oms.RoleChannel, oms.KeyScope{Channels: []string{"we b"}}, []string{"channels[0]"}},
			{"channels on a warehouse key", oms.RoleWarehouse, oms.KeyScope{Channels: []string{"web"}}, []string{"channels"}},
			{"locations on an agent key", oms.RoleAgent, oms.KeyScope{Locations: []string{"east"}}, []string{"locations"}},
			{"locations on a channel key", oms.RoleChannel, oms.KeyScope{Channels: []string{"web"}, Locations: []string{"east"}}, []string{"locations"}},
			{"an unknown location", oms.RoleWarehouse, oms.KeyScope{Locations: []string{"north"}}, []string{"locations[0]"}},
		} {
			_, _, err := db.CreateAPIKey(ctx, c.name, c.role, oms.System("test"), c.scope)
			e := wantCode(t, err, oms.EINVALID)
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, c.fields) {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			}
		}
		if n, _ := db.CountAPIKeys(ctx); n != 0 {
			t.Errorf("%d keys after refusals", n)
		}

		k, secret, err := db.CreateAPIKey(ctx, "shop", oms.RoleChannel, oms.System("admin"), oms.KeyScope{Channels: []string{"web", "b2b", "web"}})
		must(t, err)
		got, err := db.Authenticate(ctx, secret)
		must(t, err)
		if fmt.Sprint(k.Channels, got.Channels) != "[b2b web] [b2b web]" || got.Locations != nil || got.Role != oms.RoleChannel {
			t.Errorf("channel key %+v, authenticated as %+v", k, got)
		}
		_, wsecret, err := db.CreateAPIKey(ctx, "dock", oms.RoleWarehouse, oms.System("admin"), oms.KeyScope{Locations: []string{"east"}})
		must(t, err)
		w, err := db.Authenticate(ctx, wsecret)
		must(t, err)
		if p := w.Principal(); fmt.Sprint(w.Locations) != "[east]" || !p.CanSeeLocation("east") || p.CanSeeLocation("west") || p.ChannelBound() {
			t.Errorf("warehouse key authenticated as %+v", w)
		}

		es, err := db.Events(ctx, oms.Principal{}, "", oms.EventAPIKeyCreated, 10)
		must(t, err)
		if len(es) != 2 {
			t.Fatalf("%d api_key.created events", len(es))
		}
		for _, ev := range es {
			data := string(ev.Data)
			for _, s := range []string{secret, wsecret} {
				for n := len("oms_") + 1; n <= len(s); n++ {
					if strings.Contains(data, s[:n]) {
						t.Fatalf("event %s carries %q of a secret: %s", ev.Type, s[:n], data)
					}
				}
			}
			if strings.Contains(data, "prefix") || !strings.Contains(data, `"role"`) {
				t.Errorf("event data %s", data)
			}
		}
		if !strings.Contains(string(es[0].Data), `"channels":["b2b","web"]`) {
			t.Errorf("the event does not say what the key acts for: %s", es[0].Data)
		}
	})
}
