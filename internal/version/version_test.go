package version

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestRead takes the version from -X first, then from the module, and
// the commit from the VCS settings the toolchain stamped.
func TestRead(t *testing.T) {
	stamped := &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261204120000-92498f5abcde+dirty"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "92498f5abcdef"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tt := range []struct {
		name, release string
		bi            *debug.BuildInfo
		want          Info
	}{
		{"no build info", "", nil, Info{Version: "devel", Commit: "unknown"}},
		{"go run", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, Info{Version: "devel", Commit: "unknown"}},
		{"checkout", "", stamped, Info{Version: "v0.0.0-20261204120000-92498f5abcde+dirty", Commit: "92498f5abcdef", Modified: true}},
		{"release", "v1.2.3", stamped, Info{Version: "v1.2.3", Commit: "92498f5abcdef", Modified: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Go, tt.want.Platform = runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
			if got := read(tt.release, tt.bi); got != tt.want {
				t.Errorf("read = %+v, want %+v", got, tt.want)
			}
		})
	}
	in := Info{Version: "v1.2.3", Commit: "abc", Modified: true, Go: "go1.26.8", Platform: "linux/amd64"}
	if s := in.String(); s != "oms v1.2.3 (commit abc, modified, go1.26.8 linux/amd64)" {
		t.Errorf("String = %q", s)
	}
}
