// Package console is oms's web console: the pages the people who run
// orders work in — sign-in, the orders list with the one search box, and
// the order page with its actions. Pages are server-rendered html/template
// with embedded static files and a little progressive JavaScript (htmx,
// vendored); every page and form works without it.
//
// Users sign in with an email and a password (see oms.User); their
// sessions live in the database, so any server of many accepts them. Every
// form carries the session's CSRF token, and a post without it is refused.
// A user's role is an API role, with the same permission table, and a user
// bound to locations sees and acts on those locations' fulfillments only.
// The pages' calls into the services are in package act.
package console
