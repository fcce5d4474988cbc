// Package webhooks answers the API's routes of outgoing webhooks: the
// endpoints events are delivered to, their signing secrets, their delivery
// logs, retry and replay. The channels' incoming webhooks are package
// httpapi's. Its request and answer types are named in the OpenAPI
// document as they are here.
package webhooks
