// Package decode reads the JSON bodies of API requests strictly. Before
// decoding, it walks a body against the shape of the Go value it will fill
// and names every problem at once, each under its full JSON path: an unknown
// field, a value of the wrong type, an integer out of range, a key given
// twice, a string that is not valid Unicode or holds a control character.
// Its errors are oms.Error values with code EINVALID (or ETOOLARGE for a
// body over MaxBody), which the HTTP layer writes as problem documents.
// It also owns Int, the JSON integer that amounts and quantities are read as,
// and reads two fields routes share: an optional RFC 3339 time (ParseTime)
// and a secret rotation's overlap (RotationOverlap).
package decode
