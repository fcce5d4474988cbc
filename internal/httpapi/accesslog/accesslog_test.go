package accesslog

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// A return link's token never reaches the log, whether or not the path
// names a route.
func TestPath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/v1/orders/7", "/v1/orders/7"},
		{"/v1/return-portal/secret-token", "/v1/return-portal/{token}"},
		{"/v1/return-portal/secret-token/returns", "/v1/return-portal/{token}/returns"},
		{"/return/secret-token", "/return/{token}"}, // the console's return page
		{"/returns/ret_1", "/returns/ret_1"},
	}
	for _, tt := range tests {
		if got := Path(httptest.NewRequest("GET", tt.path, nil)); got != tt.want {
			t.Errorf("Path(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
}

// A client's sane request id is kept; anything else gets a new one.
func TestRequestID(t *testing.T) {
	if got := requestID("abc-123_x.y:z"); got != "abc-123_x.y:z" {
		t.Errorf("a sane id became %q", got)
	}
	for _, bad := range []string{"", "line\nbreak", "<b>", strings.Repeat("a", maxRequestID+1)} {
		if got := requestID(bad); !strings.HasPrefix(got, "req_") || got == bad {
			t.Errorf("requestID(%q) = %q, want a new req_ id", bad, got)
		}
	}
}
