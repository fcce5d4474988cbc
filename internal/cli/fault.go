//go:build !omsfault

package cli

import "context"

// faultHook is nil in oms as released. A binary built with -tags omsfault,
// for the test that kills a server in the middle of a request, has the one
// in fault_omsfault.go.
func faultHook() func(context.Context, string) error { return nil }
