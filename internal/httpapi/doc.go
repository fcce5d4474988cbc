// Package httpapi serves the oms REST API: the route table, the handlers
// (decode → validate → call the store → respond), authentication by API key
// and role, Idempotency-Key replay, RFC 9457 problem documents, and the
// OpenAPI document generated from the same route table. Handler groups that
// live in packages of their own (reports, returns, service, webhooks) are
// written against package handle.
package httpapi
