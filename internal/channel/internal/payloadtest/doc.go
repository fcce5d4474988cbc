// Package payloadtest holds what the channel adapters' tests share: reading
// a fixture of testdata/channels, editing a JSON payload, asserting which
// fields an EINVALID error names and when an order was placed, checking that
// a draft an adapter accepts can be placed, and the driver of their FuzzParse
// targets with the invariants those check.
//
// It is imported only by _test.go files, so it is never part of a binary.
package payloadtest
