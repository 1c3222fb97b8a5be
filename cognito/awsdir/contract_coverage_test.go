package awsdir_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Every operation both directories share is exercised by a contract test
// (a contract_*_test.go file calls it), so a new Cognito call cannot land with
// its in-memory twin unchecked against moto: adding the method without its
// contract test fails here, naming it.
func TestEveryOperationHasAContractTest(t *testing.T) {
	files, err := filepath.Glob("contract_*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no contract test files: %v", err)
	}
	var src strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	ops := reflect.TypeFor[directoryUnderTest]()
	for i := range ops.NumMethod() {
		if name := ops.Method(i).Name; !strings.Contains(src.String(), "."+name+"(") {
			t.Errorf("%s has no contract test: call it in a contract(t, …) case in cognito/awsdir/contract_<area>_test.go, so the in-memory twin is checked against moto", name)
		}
	}
}
