// Package answer writes the API's answers on the wire: JSON encoded before
// the status goes out, RFC 9457 problem documents with the table that maps
// each oms error code to its HTTP status, and CSV files streamed as their
// rows come, ended by a row-count trailer so that a client never takes a
// short file for a whole one. NonNil and WantsCSV are the small choices of
// form handlers share: an empty list as [], and CSV when the client asks.
package answer
