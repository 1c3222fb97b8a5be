package app

import (
	"runtime/debug"
)

// resolveVersion returns the version stamped with -ldflags "-X main.version=…" or,
// for a plain `go build` / `go install`, what the Go toolchain recorded: the module
// version, else the VCS revision (with "+dirty" for uncommitted changes).
func resolveVersion(stamped string) string {
	if stamped != "" {
		return stamped
	}
	return versionFromBuildInfo(debug.ReadBuildInfo())
}

func versionFromBuildInfo(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}
