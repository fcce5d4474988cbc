// Package version says which build of oms is running: the release, the
// commit it was built from and the Go toolchain. The command line prints
// it, the server logs it when it starts and GET /healthz reports it.
package version

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// release is the version a release build names, set with
//
//	go build -ldflags "-X github.com/omshq/oms/internal/version.release=v1.2.3" ./cmd/oms
//
// Without it the version is the one the Go toolchain recorded from the
// module (go install …@v1.2.3) or the checkout, else "devel".
var release string

// Info describes a build.
type Info struct {
	Version  string // v1.2.3, a pseudo-version from the checkout, or "devel"
	Commit   string // the VCS revision, or "unknown" (go run, go test)
	Modified bool   // the checkout had changes that were not committed
	Go       string // the Go version, such as go1.26.8
	Platform string // GOOS/GOARCH
}

// Get returns the running build's Info.
func Get() Info { return get() }

var get = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return read(release, bi)
})

// read assembles Info from the -X release (if any) and the build info the
// toolchain embedded (nil when there is none).
func read(release string, bi *debug.BuildInfo) Info {
	in := Info{Version: release, Commit: "unknown", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi == nil {
		if in.Version == "" {
			in.Version = "devel"
		}
		return in
	}
	if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		in.Version = bi.Main.Version
	}
	if in.Version == "" {
		in.Version = "devel"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Commit = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is the build on one line: "oms v1.2.3 (commit 0123abcd…, go1.26.8 linux/amd64)",
// with ", modified" after the commit when the checkout had changes.
func (in Info) String() string {
	commit := in.Commit
	if in.Modified {
		commit += ", modified"
	}
	return "oms " + in.Version + " (commit " + commit + ", " + in.Go + " " + in.Platform + ")"
}
