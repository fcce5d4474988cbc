package sqldb

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// A PostgreSQL connection string names a password in one of three places:
// the userinfo of a URL (postgres://oms:secret@db/oms), a password query
// parameter of a URL (…?password=secret), or a password key of a key=value
// string (host=db password=secret). None may reach a log line or an error
// message.

// dsnMask stands for a password that was left out.
const dsnMask = "xxxxx"

var (
	// keyValueDSN matches the start of a key=value connection string.
	keyValueDSN = regexp.MustCompile(`^\s*(host|hostaddr|port|dbname|user|password|passfile|sslmode|service|application_name|connect_timeout|options|target_session_attrs)\s*=`)
	// keyValuePassword matches a password key of a key=value string and its
	// value: quoted (with backslash escapes, perhaps unterminated) or not.
	keyValuePassword = regexp.MustCompile(`(?i)((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)`)
	// queryPassword matches a password parameter of a URL's query and its
	// value, in a URL too broken to parse.
	queryPassword = regexp.MustCompile(`(?i)((?:^|[?&])(?:ssl)?password=)([^&]*)`)
)

// RedactDSN returns dsn with every password in it replaced by xxxxx, for
// logs and messages: a URL's userinfo password and its password and
// sslpassword query parameters, or a key=value string's password. A URL too
// broken to parse loses its whole userinfo. Anything else (a SQLite path)
// is returned as it is.
func RedactDSN(dsn string) string {
	if !isPostgresURL(dsn) {
		return keyValuePassword.ReplaceAllString(dsn, "${1}"+dsnMask)
	}
	u, err := url.Parse(dsn)
	if err != nil || strings.Contains(u.Path, "@") {
		// The parts are ambiguous (a password holding an unescaped '/' or
		// '?', say): everything up to the last '@' may be the password.
		scheme, rest, _ := strings.Cut(dsn, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = dsnMask + rest[at:]
		}
		return scheme + "://" + queryPassword.ReplaceAllString(rest, "${1}"+dsnMask)
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), dsnMask)
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		k, _, ok := strings.Cut(p, "=")
		if key, err := url.QueryUnescape(k); ok && err == nil && isPasswordKey(key) {
			params[i] = k + "=" + dsnMask
		}
	}
	u.RawQuery = strings.Join(params, "&")
	return u.String()
}

func isPasswordKey(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "sslpassword"
}

// dsnPasswords returns the passwords dsn holds, as written and decoded, so
// that an error message quoting one can be cleaned. Passwords shorter than
// 4 bytes are left out: masking them would garble the message and hide
// little.
func dsnPasswords(dsn string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 4 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if isPostgresURL(dsn) {
		_, rest, _ := strings.Cut(dsn, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, pass, ok := strings.Cut(rest[:at], ":"); ok {
				add(pass)
				if p, err := url.PathUnescape(pass); err == nil {
					add(p)
				}
			}
		}
		for _, m := range queryPassword.FindAllStringSubmatch(dsn, -1) {
			add(m[2])
			if p, err := url.QueryUnescape(m[2]); err == nil {
				add(p)
			}
		}
		return out
	}
	for _, m := range keyValuePassword.FindAllStringSubmatch(dsn, -1) {
		v := m[2]
		add(v)
		if strings.HasPrefix(v, "'") {
			v = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
			add(v)
			add(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v))
		}
	}
	return out
}

// RedactError returns err with the passwords of dsn masked in its message,
// still wrapping err; nil for nil.
func RedactError(err error, dsn string) error {
	pws := dsnPasswords(dsn)
	if err == nil || len(pws) == 0 {
		return err
	}
	// The longest first, so that a password holding another is masked whole.
	slices.SortFunc(pws, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(pws))
	for _, p := range pws {
		pairs = append(pairs, p, dsnMask)
	}
	return &redactedError{err: err, r: strings.NewReplacer(pairs...)}
}

// redactedError is an error whose message leaves out passwords.
type redactedError struct {
	err error
	r   *strings.Replacer
}

func (e *redactedError) Error() string { return e.r.Replace(e.err.Error()) }
func (e *redactedError) Unwrap() error { return e.err }

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
