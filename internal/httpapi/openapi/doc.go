// Package openapi writes the API's OpenAPI 3 document. It is fed the route
// table as data (method, path, permission, prose, request and answer types)
// and derives the schemas of the bodies from the Go types, with the closed
// sets of values, examples, problem answers, tags and the outbound webhooks
// each event type sends. It knows nothing of the handlers.
package openapi
