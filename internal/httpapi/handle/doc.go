// Package handle holds what every handler of the API is written against,
// so that handler groups can live in packages of their own: the handler
// type, the route (its place in the API and what the OpenAPI document says
// of it), and the API key that authenticated the request. Package httpapi
// serves the routes; the answers and problem documents are package answer's.
package handle
