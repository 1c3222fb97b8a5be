package config

import (
	"go/build"
	"slices"
	"testing"
)

// TestUsesMaintainedYAMLModule guards against falling back to the archived
// gopkg.in/yaml.v3, which gets no more fixes; go.yaml.in/yaml/v3 is its
// maintained continuation with the same API and error messages.
func TestUsesMaintainedYAMLModule(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	archived := "gopkg.in/" + "yaml.v3" // split so a search-and-replace of imports cannot rewrite this check
	imports := slices.Concat(pkg.Imports, pkg.TestImports)
	if slices.Contains(imports, archived) {
		t.Error("package config imports the archived gopkg.in/yaml.v3; use go.yaml.in/yaml/v3")
	}
	if !slices.Contains(pkg.Imports, "go.yaml.in/yaml/v3") {
		t.Error("package config does not import go.yaml.in/yaml/v3")
	}
}
