package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/omshq/oms"
)

// The cookies: the session's token, and the sign-in form's CSRF token (a
// double-submitted random value, since there is no session yet).
const (
	sessionCookie = "oms_session"
	loginCookie   = "oms_login"
	csrfField     = "csrf"
)

// user wraps a handler that needs a signed-in user. Without a live
// session a page redirects to /login (coming back after), and a post is
// refused. Every post must carry the session's CSRF token and, when the
// browser says where it comes from, come from this site: else 403.
func (c *Console) user(h func(http.ResponseWriter, *http.Request, oms.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var s oms.Session
		ck, err := r.Cookie(sessionCookie)
		if err == nil {
			s, err = c.act.Session(r.Context(), ck.Value)
		}
		if err != nil {
			if oms.ErrorCode(err) != oms.EUNAUTHORIZED && !errors.Is(err, http.ErrNoCookie) {
				c.fault(w, r, nil, err)
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			c.forbidden(w, r, nil, "Your session has ended. Sign in again, then repeat what you were doing.")
			return
		}
		if r.Method == http.MethodPost && !c.validPost(r, s.CSRF) {
			c.forbidden(w, r, &s, "This form has expired or did not come from this site. Reload the page and try again.")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, s)
	}
}

// validPost reports whether a post carries the CSRF token and, when the
// browser sent Origin or Sec-Fetch-Site, comes from this site.
func (c *Console) validPost(r *http.Request, token string) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	got := r.PostFormValue(csrfField)
	return token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// secure reports whether cookies get the Secure attribute.
func (c *Console) secure(r *http.Request) bool { return c.opt.Secure || r.TLS != nil }

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site;
// maxAge < 0 deletes it, 0 makes it last as long as the browser session.
func (c *Console) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: c.secure(r), SameSite: http.SameSiteLaxMode})
}

// loginToken returns the sign-in form's CSRF token, setting its cookie
// when the browser has none.
func (c *Console) loginToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(loginCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on the platforms Go supports
	tok := base64.RawURLEncoding.EncodeToString(b)
	c.setCookie(w, r, loginCookie, tok, 0)
	return tok
}

// clientAddress is the request's remote IP, for throttling sign-ins.
// Forwarded headers are not trusted: anyone can send them.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext returns where to go after signing in: a path of this site, or
// /orders.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/orders"
	}
	return next
}

// newPassword makes up a password of 128 random bits.
func newPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
