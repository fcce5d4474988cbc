//go:build omsfault

package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// faultHook, in a binary built with -tags omsfault only, stops the server at
// the store step OMS_FAULT_STEP names (see store.Options.Fault) the first
// time a request reaches it: it says so on stderr and waits to be killed,
// so that a test can kill the process in that window.
//
// OMS_FAULT_DELAY=step=duration instead makes the first request to reach
// the step wait there that long, and go on: a slow request, for the test of
// a graceful stop.
func faultHook() func(context.Context, string) error {
	if d := os.Getenv("OMS_FAULT_DELAY"); d != "" {
		step, dur, _ := strings.Cut(d, "=")
		wait, err := time.ParseDuration(dur)
		if err != nil {
			panic("OMS_FAULT_DELAY: " + err.Error())
		}
		var hit atomic.Bool
		return func(_ context.Context, s string) error {
			if s == step && hit.CompareAndSwap(false, true) {
				fmt.Fprintf(os.Stderr, "oms fault: waiting at %s\n", s)
				time.Sleep(wait)
			}
			return nil
		}
	}
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
