package console

import (
	"net/http"
	"strings"

	"github.com/omshq/oms"
)

// usersData is the Users page: every user, and the password of the one
// just created, shown this once.
type usersData struct {
	Users    []oms.User
	Roles    []oms.Role
	Created  *oms.User
	Password string
}

// userRoles are the roles a person may hold.
var userRoles = []oms.Role{oms.RoleAgent, oms.RoleWarehouse, oms.RoleManager, oms.RoleAdmin}

// manageUsers is the permission of the Users page: the one that manages API
// keys, admins'.
const manageUsers = oms.PermAPIKeyManage

func (c *Console) usersPage(w http.ResponseWriter, r *http.Request, s oms.Session) {
	c.showUsers(w, r, s, http.StatusOK, page{Flash: map[string]string{"disabled": "The user is disabled and signed out everywhere."}[r.URL.Query().Get("done")]}, usersData{})
}

func (c *Console) showUsers(w http.ResponseWriter, r *http.Request, s oms.Session, status int, p page, d usersData) {
	if !s.User.Role.Allows(manageUsers) {
		c.forbidden(w, r, &s, "Only admins manage users.")
		return
	}
	var err error
	if d.Users, err = c.act.Users(r.Context()); err != nil {
		c.fault(w, r, &s, err)
		return
	}
	d.Roles = userRoles
	p.Session, p.Title, p.Users = &s, "Users", d
	c.render(w, r, status, "users", p)
}

// addUser creates a user with a password made up here, shown once on the
// page that answers (never in an address or a log).
func (c *Console) addUser(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(manageUsers) {
		c.forbidden(w, r, &s, "Only admins manage users.")
		return
	}
	password, err := newPassword()
	if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	var locations []string
	for _, l := range strings.Split(r.PostFormValue("locations"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			locations = append(locations, l)
		}
	}
	u, err := c.act.CreateUser(r.Context(), s.User, oms.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: oms.Role(r.PostFormValue("role")), Locations: locations, Password: password})
	if code := oms.ErrorCode(err); code == oms.EINVALID || code == oms.ECONFLICT {
		errs, formErr := fieldErrors(err)
		for k, v := range errs {
			if strings.HasPrefix(k, "locations") {
				errs["locations"] = v
			}
		}
		c.showUsers(w, r, s, http.StatusUnprocessableEntity, page{Form: "user", Errors: errs, FormError: formErr, Values: r.PostForm}, usersData{})
		return
	} else if err != nil {
		c.fault(w, r, &s, err)
		return
	}
	c.showUsers(w, r, s, http.StatusCreated, page{Flash: "The user is created."}, usersData{Created: &u, Password: password})
}

func (c *Console) disable(w http.ResponseWriter, r *http.Request, s oms.Session) {
	if !s.User.Role.Allows(manageUsers) {
		c.forbidden(w, r, &s, "Only admins manage users.")
		return
	}
	err := c.act.DisableUser(r.Context(), s.User, r.PathValue("id"))
	switch oms.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/users?done=disabled", http.StatusSeeOther)
	case oms.ECONFLICT:
		c.showUsers(w, r, s, http.StatusConflict, page{FormError: errMessage(err)}, usersData{})
	default:
		c.fault(w, r, &s, err)
	}
}
