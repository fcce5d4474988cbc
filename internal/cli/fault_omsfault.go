//go:build omsfault

package cli

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
)

// faultHook, in a binary built with -tags omsfault only, stops the server at
// the store step OMS_FAULT_STEP names (see store.Options.Fault) the first
// time a request reaches it: it says so on stderr and waits to be killed,
// so that a test can kill the process in that window.
func faultHook() func(context.Context, string) error {
	step := os.Getenv("OMS_FAULT_STEP")
	if step == "" {
		return nil
	}
	var hit atomic.Bool
	return func(_ context.Context, s string) error {
		if s != step || !hit.CompareAndSwap(false, true) {
			return nil
		}
		fmt.Fprintf(os.Stderr, "oms fault: stopped at %s\n", s)
		select {} // until the test kills the process
	}
}
