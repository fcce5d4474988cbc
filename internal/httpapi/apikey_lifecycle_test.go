package httpapi_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

// keyPage is a page of GET /v1/api-keys.
type keyPage struct {
	APIKeys    []oms.APIKey `json:"api_keys"`
	NextCursor *string      `json:"next_cursor"`
}

// keyWithSecret is the answer of POST /v1/api-keys and of a rotation.
type keyWithSecret struct {
	oms.APIKey
	Secret string `json:"secret"`
}

// listKeys returns every live key, following the cursor over pages of limit.
func (h *harness) listKeys(limit int) []oms.APIKey {
	h.t.Helper()
	var all []oms.APIKey
	path := fmt.Sprintf("/v1/api-keys?limit=%d", limit)
	for next := path; ; {
		var p keyPage
		h.mustCall("GET", next, oms.RoleAdmin, nil, 200).json(h.t, &p)
		if len(p.APIKeys) > limit || len(all) > 100 {
			h.t.Fatalf("%d keys on a page of %d, %d before", len(p.APIKeys), limit, len(all))
		}
		all = append(all, p.APIKeys...)
		if p.NextCursor == nil {
			return all
		}
		next = path + "&after=" + url.QueryEscape(*p.NextCursor)
	}
}

func TestAPIKeyLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		h.seed()
		h.key(oms.RoleChannel) // the channel key is made when first used
		// Every key, newest first, over pages; no secret in the answer.
		keys := h.listKeys(2)
		if len(keys) != len(oms.Roles) || keys[0].Role != oms.RoleChannel || keys[len(keys)-1].Role != oms.RoleAdmin {
			t.Fatalf("listed %+v", keys)
		}
		ids := map[oms.Role]string{}
		for _, k := range keys {
			ids[k.Role] = k.ID
			if !strings.HasPrefix(h.keys[k.Role], k.Prefix) || len(k.Prefix) != 10 {
				t.Errorf("key %s: prefix %q of secret %q", k.ID, k.Prefix, h.keys[k.Role])
			}
		}
		r := h.mustCall("GET", "/v1/api-keys", oms.RoleAdmin, nil, 200)
		for _, s := range h.keys {
			if bytes.Contains(r.body, []byte(s)) || bytes.Contains(r.body, []byte(`"secret"`)) {
				t.Fatalf("the list shows a secret: %s", r.body)
			}
		}
		for _, q := range []string{"limit=0", "limit=201", "after=bm9wZQ", "after=%%%"} {
			if p := h.mustCall("GET", "/v1/api-keys?"+q, oms.RoleAdmin, nil, 400).problem(t); len(p.Errors) != 1 {
				t.Errorf("%s: %+v", q, p)
			}
		}
		// The last use shows, once the key was used.
		h.mustCall("GET", "/v1/orders", oms.RoleAgent, nil, 200)
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			var used *time.Time
			for _, k := range h.listKeys(50) {
				if k.ID == ids[oms.RoleAgent] {
					used = k.LastUsedAt
				}
			}
			if used != nil && time.Since(*used) < time.Minute {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("the agent key's last use is not listed: %v", used)
			}
		}

		// Only admins manage keys.
		for _, c := range []struct{ method, path, body string }{
			{"GET", "/v1/api-keys", ""}, {"DELETE", "/v1/api-keys/" + ids[oms.RoleAgent], ""},
			{"POST", "/v1/api-keys/" + ids[oms.RoleAgent] + "/rotate", "{}"},
		} {
			var body any
			if c.body != "" {
				body = c.body
			}
			h.mustCall(c.method, c.path, oms.RoleManager, body, 403)
		}

		// Rotation: the same key with a new secret; both work for the overlap.
		rot := h.mustCall("POST", "/v1/api-keys/"+ids[oms.RoleChannel]+"/rotate", oms.RoleAdmin, `{"expires_in_seconds": 3600}`, 200)
		var k keyWithSecret
		rot.json(t, &k)
		if k.ID != ids[oms.RoleChannel] || k.Role != oms.RoleChannel || k.Secret == "" || k.Secret == h.keys[oms.RoleChannel] ||
			!strings.HasPrefix(k.Secret, k.Prefix) || k.PreviousExpiresAt == nil || k.RotatedAt == nil ||
			k.PreviousExpiresAt.Sub(*k.RotatedAt) != time.Hour {
			t.Fatalf("rotated: %s", rot.body)
		}
		if cc := rot.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q on an answer with a secret", cc)
		}
		old := h.keys[oms.RoleChannel]
		h.keys["rotated"] = k.Secret
		h.mustCall("GET", "/v1/orders", oms.RoleChannel, nil, 200)
		h.mustCall("GET", "/v1/orders", "rotated", nil, 200)
		// Without a body the overlap is a day.
		h.mustCall("POST", "/v1/api-keys/"+ids[oms.RoleWarehouse]+"/rotate", oms.RoleAdmin, nil, 200).json(t, &k)
		if k.PreviousExpiresAt == nil || k.PreviousExpiresAt.Sub(*k.RotatedAt) != 24*time.Hour {
			t.Errorf("default overlap: %+v", k)
		}
		for _, body := range []string{`{"expires_in_seconds": -1}`, `{"expires_in_seconds": 604801}`, `{"expires_in_seconds": 1.5}`,
			`{"expires_in_seconds": "60"}`, `{"expires_in_seconds": 99999999999999999999}`, `{"expires_in": 60}`} {
			p := h.mustCall("POST", "/v1/api-keys/"+ids[oms.RoleChannel]+"/rotate", oms.RoleAdmin, body, 400).problem(t)
			if len(p.Errors) != 1 || !strings.HasPrefix(p.Errors[0].Field, "expires_in") {
				t.Errorf("%s: %+v", body, p)
			}
		}
		h.mustCall("POST", "/v1/api-keys/key_nope/rotate", oms.RoleAdmin, `{}`, 404)
		// Rotating with an overlap of 0 ends the old secret at once.
		h.mustCall("POST", "/v1/api-keys/"+ids[oms.RoleChannel]+"/rotate", oms.RoleAdmin, `{"expires_in_seconds": 0}`, 200).json(t, &k)
		h.keys["rotated"] = k.Secret
		for _, s := range []string{old, h.keys["rotated"]} {
			want := 401
			if s == h.keys["rotated"] {
				want = 200
			}
			h.keys["try"] = s
			if r := h.call("GET", "/v1/orders", "try", nil); r.status != want {
				t.Errorf("after rotating with no overlap: status %d, want %d", r.status, want)
			}
		}

		// Revocation: 204, then 401 for the key, 204 again, 404 for none.
		h.mustCall("DELETE", "/v1/api-keys/"+ids[oms.RoleAgent], oms.RoleAdmin, nil, 204)
		if r := h.call("GET", "/v1/orders", oms.RoleAgent, nil); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("revoked key: status %d, WWW-Authenticate %q", r.status, r.header.Get("WWW-Authenticate"))
		}
		h.mustCall("DELETE", "/v1/api-keys/"+ids[oms.RoleAgent], oms.RoleAdmin, nil, 204)
		h.mustCall("DELETE", "/v1/api-keys/key_nope", oms.RoleAdmin, nil, 404)
		h.mustCall("POST", "/v1/api-keys/"+ids[oms.RoleAgent]+"/rotate", oms.RoleAdmin, `{}`, 404)
		if got := h.listKeys(50); len(got) != len(oms.Roles)-1 {
			t.Errorf("after a revocation, %d keys listed", len(got))
		}

		// The last admin key cannot be revoked, even by itself; once there
		// is another, it can.
		p := h.mustCall("DELETE", "/v1/api-keys/"+ids[oms.RoleAdmin], oms.RoleAdmin, nil, 409).problem(t)
		if p.Code != oms.ECONFLICT || !strings.Contains(p.Detail, "last admin key") {
			t.Errorf("revoking the last admin key: %+v", p)
		}
		h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"second admin","role":"admin"}`, 201).json(t, &k)
		h.keys["admin2"] = k.Secret
		h.mustCall("DELETE", "/v1/api-keys/"+ids[oms.RoleAdmin], oms.RoleAdmin, nil, 204)
		h.mustCall("GET", "/v1/api-keys", oms.RoleAdmin, nil, 401)
		h.mustCall("DELETE", "/v1/api-keys/"+k.ID, "admin2", nil, 409)

		// The events of the lifecycle name the key, never its secret or prefix.
		var evs struct{ Events []oms.Event }
		h.mustCall("GET", "/v1/events?limit=1000", "admin2", nil, 200).json(t, &evs)
		counts := map[string]int{}
		for _, ev := range evs.Events {
			counts[ev.Type]++
			if ev.Type != oms.EventAPIKeyRevoked && ev.Type != oms.EventAPIKeyRotated {
				continue
			}
			for _, s := range h.keys {
				if strings.Contains(string(ev.Data), s[:10]) {
					t.Errorf("event %s holds a secret's prefix: %s", ev.Type, ev.Data)
				}
			}
		}
		if counts[oms.EventAPIKeyRotated] != 3 || counts[oms.EventAPIKeyRevoked] != 2 {
			t.Errorf("events by type: %v", counts)
		}
	})
}

// TestAPIKeyRevokedAcrossServers: two servers on one database; a key revoked
// through one is refused by the other, which had it cached, within a second.
func TestAPIKeyRevokedAcrossServers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		var servers [2]*httptest.Server
		var admin string
		for i := range servers {
			db, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if i == 0 {
				if _, admin, err = db.CreateAPIKey(ctx, "admin", oms.RoleAdmin, oms.System("test")); err != nil {
					t.Fatal(err)
				}
			}
			servers[i] = httptest.NewServer(httpapi.New(db, slog.New(slog.DiscardHandler)))
			t.Cleanup(servers[i].Close)
		}
		get := func(srv *httptest.Server, method, path, key, body string) (int, []byte) {
			t.Helper()
			req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+key)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(res.Body)
			return res.StatusCode, b.Bytes()
		}
		status, body := get(servers[0], "POST", "/v1/api-keys", admin, `{"name":"desk","role":"agent"}`)
		var k keyWithSecret
		if status != 201 || json.Unmarshal(body, &k) != nil {
			t.Fatalf("create: %d %s", status, body)
		}
		for _, srv := range servers {
			for range 3 {
				if status, body := get(srv, "GET", "/v1/orders", k.Secret, ""); status != 200 {
					t.Fatalf("before the revocation: %d %s", status, body)
				}
			}
		}
		start := time.Now()
		if status, body := get(servers[0], "DELETE", "/v1/api-keys/"+k.ID, admin, ""); status != 204 {
			t.Fatalf("revoke: %d %s", status, body)
		}
		if status, _ := get(servers[0], "GET", "/v1/orders", k.Secret, ""); status != 401 {
			t.Fatalf("the revoking server answered %d", status)
		}
		for {
			status, body := get(servers[1], "GET", "/v1/orders", k.Secret, "")
			if status == 401 {
				t.Logf("refused by the other server %v after the revocation", time.Since(start))
				break
			} else if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			if time.Since(start) > time.Second {
				t.Fatalf("the other server still takes the key %v after it was revoked", time.Since(start))
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestBearerScheme: the scheme's name is matched in any case (RFC 9110) and
// any run of spaces or tabs may follow it; anything else is 401 with
// WWW-Authenticate: Bearer.
func TestBearerScheme(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		h := setup(t, e)
		key := h.keys[oms.RoleAgent]
		for _, c := range []struct {
			header string
			want   int
		}{
			{"Bearer " + key, 200},
			{"bearer " + key, 200},
			{"BEARER " + key, 200},
			{"bEaReR " + key, 200},
			{"Bearer    " + key, 200},
			{"Bearer \t " + key + "  ", 200},
			{"Bearer" + key, 401},
			{"Bearer", 401},
			{"Bearer   ", 401},
			{"Basic " + key, 401},
			{"Bearers " + key, 401},
			{key, 401},
			{"Bearer " + key + " extra", 401},
		} {
			r := h.call("GET", "/v1/orders", "", nil, "Authorization", c.header)
			if r.status != c.want {
				t.Errorf("%q: status %d, want %d", c.header, r.status, c.want)
			}
			if r.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%q: WWW-Authenticate %q", c.header, r.header.Get("WWW-Authenticate"))
			}
		}
	})
}

// lockedBuffer is a log's destination written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSecretsNeverShown: API key secrets, a channel's webhook secret and a
// return link's token appear in no answer but the one that gives them (which
// no cache may keep), in
// no event, no export, no log line at any level, and — but for the webhook
// secret, which verifies signatures and so is kept — in no table.
func TestSecretsNeverShown(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		var logs lockedBuffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h := &harness{t: t, db: db, keys: map[oms.Role]string{}}
		for _, r := range oms.Roles {
			if r == oms.RoleChannel {
				continue // made when used, bound to the channels there are
			}
			if _, h.keys[r], err = db.CreateAPIKey(ctx, string(r), r, oms.System("test")); err != nil {
				t.Fatal(err)
			}
		}
		h.srv = httptest.NewServer(httpapi.New(db, log))
		t.Cleanup(h.srv.Close)
		t.Cleanup(func() { storetest.AssertInvariants(t, db) })
		h.seed()

		const webhookSecret = "whsec_c0rrect-h0rse-battery-staple"
		h.mustCall("PUT", "/v1/channels/shop", oms.RoleManager, `{"name":"Shop","kind":"shopify","currency":"USD",
			"backorder_policy":"reject","webhook_secret":"`+webhookSecret+`"}`, 201)
		var ch oms.Channel
		h.mustCall("GET", "/v1/channels/shop", oms.RoleAgent, nil, 200).json(t, &ch)
		if !ch.HasSecret {
			t.Errorf("has_webhook_secret is false: %+v", ch)
		}
		var k keyWithSecret
		r := h.mustCall("POST", "/v1/api-keys", oms.RoleAdmin, `{"name":"desk","role":"agent"}`, 201)
		r.json(t, &k)
		created := k.Secret
		h.mustCall("POST", "/v1/api-keys/"+k.ID+"/rotate", oms.RoleAdmin, `{}`, 200).json(t, &k)
		h.keys["desk"] = k.Secret
		h.mustCall("DELETE", "/v1/api-keys/"+k.ID, oms.RoleAdmin, nil, 204)
		var o oms.Order
		h.mustCall("POST", "/v1/orders", oms.RoleChannel, orderBody("W-1", 1), 201).json(t, &o)
		var link oms.ReturnLink
		lr := h.mustCall("POST", "/v1/orders/"+o.ID+"/return-link", oms.RoleAgent, `{}`, 201)
		lr.json(t, &link)
		for _, r := range []response{r, lr} {
			if cc := r.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q on an answer with a credential", cc)
			}
		}
		h.mustCall("GET", link.Path, "", nil, 200)
		h.mustCall("POST", link.Path+"/returns", "", `{"lines":[]}`, 400)
		h.mustCall("GET", link.Path+"/nothing", "", nil, 404)
		h.mustCall("GET", "/v1/return-portal/"+link.Token+"x", "", nil, 404)
		_, sig, _ := strings.Cut(link.Token, ".")

		secrets := map[string]string{"webhook secret": webhookSecret, "return link token": link.Token,
			"return link signature": sig, "created key": created, "rotated key": k.Secret}
		for r, s := range h.keys {
			secrets[string(r)+" key"] = s
		}
		seen := func(where, text string, except ...string) {
			t.Helper()
			for name, s := range secrets {
				if strings.Contains(text, s) && !strings.Contains(strings.Join(except, " "), name) {
					t.Errorf("%s shows the %s", where, name)
				}
			}
		}
		for _, path := range []string{"/v1/channels", "/v1/channels/shop", "/v1/api-keys", "/v1/events?limit=1000",
			"/v1/orders/" + o.ID, "/v1/orders/" + o.ID + "/events", "/v1/orders/" + o.ID + "/timeline",
			"/v1/exports/orders", "/v1/exports/order-lines"} {
			seen("GET "+path, string(h.mustCall("GET", path, oms.RoleAdmin, nil, 200).body))
		}
		seen("the log", logs.String())
		if !strings.Contains(logs.String(), "/v1/return-portal/{token}") {
			t.Errorf("the portal's requests are not logged: %s", logs.String())
		}
		seen("the database", dumpTables(t, e, dsn), "webhook secret")
	})
}

// dumpTables returns the text of every row of every table of the database.
func dumpTables(t *testing.T, e storetest.Engine, dsn string) string {
	t.Helper()
	driver, list := "sqlite", "SELECT name FROM sqlite_master WHERE type = 'table'"
	if e.Name == "postgres" {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		driver, list = "pgx", "SELECT tablename FROM pg_tables WHERE schemaname = '"+u.Query().Get("search_path")+"'"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var tables []string
	rows, err := raw.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 20 {
		t.Fatalf("found only the tables %v", tables)
	}
	var out strings.Builder
	for _, table := range tables {
		rows, err := raw.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&out, "%v\t", v)
			}
			out.WriteString("\n")
		}
		rows.Close()
	}
	return out.String()
}
