package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// TestUsersPage: an admin adds a person, who signs in with the password
// shown once, and disables them, which signs them out; a bad field is
// shown next to its input; only admins see the page.
func TestUsersPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, e storetest.Engine) {
		s := newShop(t, e)
		_, err := s.db.CreateUser(ctx, oms.NewUser{Email: "root@example.com", Name: "Rita Root", Role: oms.RoleAdmin, Password: password}, oms.System("test"))
		must(t, err)
		agent := newClient(t, s.url)
		agent.signIn("ann@example.com")
		if st, _ := agent.get("/users"); st != http.StatusForbidden {
			t.Errorf("an agent on the Users page: %d, want 403", st)
		}
		admin := newClient(t, s.url)
		tok := admin.signIn("root@example.com")
		st, body := admin.post("/users", url.Values{"csrf": {tok}, "name": {"Cleo Park"}, "email": {"ann@example.com"}, "role": {"agent"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="u-email-error">is taken by another user</p>`) {
			t.Errorf("a taken email: %d\n%s", st, body)
		}
		st, body = admin.post("/users", url.Values{"csrf": {tok}, "name": {"Cleo Park"}, "email": {"cleo@example.com"}, "role": {"warehouse"}, "locations": {"shop"}})
		m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(body)
		if st != http.StatusCreated || m == nil {
			t.Fatalf("adding a user: %d\n%s", st, body)
		}
		cleo := newClient(t, s.url)
		_, login := cleo.get("/login")
		if st, _ := cleo.post("/login", url.Values{"csrf": {csrf(t, login)}, "email": {"cleo@example.com"}, "password": {m[1]}}); st != http.StatusSeeOther {
			t.Fatalf("the new user signs in: %d", st)
		}
		var id string
		us, err := s.db.Users(ctx)
		must(t, err)
		for _, u := range us {
			if u.Email == "cleo@example.com" {
				id = u.ID
				if u.Role != oms.RoleWarehouse || len(u.Locations) != 1 || u.Locations[0] != "shop" {
					t.Errorf("the new user: %+v", u)
				}
			}
		}
		if st, _ := admin.post("/users/"+id+"/disable", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
			t.Errorf("disabling: %d", st)
		}
		if st, _ := cleo.get("/orders"); st != http.StatusSeeOther {
			t.Errorf("a disabled user's session: %d, want 303 to /login", st)
		}
	})
}
