package bottest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
)

// FakeOperation answers one Cognito request of an operation moto lacks, as
// Cognito would: the response body (marshalled to JSON), or errType
// ("ResourceNotFoundException", …) for an error answer.
type FakeOperation func(request map[string]any) (response any, errType string)

// fakeCognito is a reverse proxy in front of moto that answers the named
// operations itself (a fake endpoint for those operations only) and forwards
// every other request to moto.
type fakeCognito struct {
	srv *httptest.Server
}

func newFakeCognito(t testing.TB, target string, ops map[string]FakeOperation) *fakeCognito {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("moto endpoint %q: %v", target, err)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	f := &fakeCognito{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		answer, ok := ops[op]
		if !ok {
			forward.ServeHTTP(w, r)
			return
		}
		var req map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "fake "+op+": "+err.Error(), http.StatusBadRequest)
			return
		}
		resp, errType := answer(req)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("x-amzn-RequestId", "fake-"+op)
		if errType != "" {
			w.Header().Set("x-amzn-ErrorType", errType)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":%q,"message":"fake endpoint: %s"}`, errType, errType)
			return
		}
		_ = json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(f.srv.Close)
	return f
}
