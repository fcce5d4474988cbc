// Package returns answers the API's routes of returns: creating, listing,
// approving, receiving and closing returns, refunds, the return settings,
// return links and the return portal a customer uses without a key. Its
// request types are named in the OpenAPI document as they are here.
package returns
