// Package service answers the API's routes of customer service: notes on
// orders and customers, cases and their messages, and an order's timeline
// merging its events, notes and cases. Its request and answer types are
// named in the OpenAPI document as they are here.
package service
