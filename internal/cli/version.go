package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/omshq/oms/internal/version"
)

// versionCommand prints the build on one line: the version, the commit and
// the Go version.
func versionCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("oms version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: oms version

Prints the version of oms (set at build time with -ldflags
"-X github.com/omshq/oms/internal/version.release=v1.2.3", else the module's
version), the commit it was built from (", modified" when the checkout had
changes), the Go version and the platform.
`)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "%s", extraArgs(fs))
	}
	fmt.Fprintln(stdout, version.Get())
	return nil
}
