package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi"
)

// fakeKeys knows one key per secret.
type fakeKeys struct {
	oms.Keys // the methods a test does not expect panic
	keys     map[string]oms.APIKey
}

func (f fakeKeys) Authenticate(_ context.Context, secret string) (oms.APIKey, error) {
	if k, ok := f.keys[secret]; ok {
		return k, nil
	}
	return oms.APIKey{}, oms.Errorf(oms.EUNAUTHORIZED, "unknown key")
}

// fakeOrders holds orders in memory and records who asked for them.
type fakeOrders struct {
	oms.Orders
	orders     map[string]*oms.Order
	authorized []string // the key ids AuthorizeOrder was asked about
}

func (f *fakeOrders) Order(_ context.Context, ref string) (*oms.Order, error) {
	if o, ok := f.orders[ref]; ok {
		return o, nil
	}
	return nil, oms.Errorf(oms.ENOTFOUND, "order %q does not exist", ref)
}

func (f *fakeOrders) AuthorizeOrder(_ context.Context, p oms.Principal, ref string) error {
	f.authorized = append(f.authorized, p.KeyID)
	if o, ok := f.orders[ref]; ok && p.CanSeeChannel(o.Channel) {
		return nil
	}
	return oms.Errorf(oms.ENOTFOUND, "order %q does not exist", ref)
}

// TestFakeOrders serves orders from a fake Orders service, without a
// database: the handlers depend on the services, not on the store.
func TestFakeOrders(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	orders := &fakeOrders{orders: map[string]*oms.Order{"ord_1": {
		ID: "ord_1", Number: "1001", Channel: "web", ExternalID: "w-1", Status: oms.StatusAllocated,
		Currency: "USD", Version: 1, PlacedAt: at, CreatedAt: at, UpdatedAt: at,
		Lines: []oms.Line{}, Allocations: []oms.Allocation{}, Holds: []oms.Hold{},
	}}}
	keys := fakeKeys{keys: map[string]oms.APIKey{
		"admin":  {ID: "key_admin", Name: "ops", Role: oms.RoleAdmin},
		"retail": {ID: "key_retail", Name: "shop", Role: oms.RoleChannel, Channels: []string{"retail"}},
	}}
	s := httpapi.NewWithServices(oms.Services{Orders: orders, Keys: keys}, slog.New(slog.DiscardHandler))
	get := func(secret, path string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		conforms(t, req, rec.Code, rec.Header(), body)
		return rec.Code, string(body)
	}

	if code, body := get("admin", "/v1/orders/ord_1"); code != http.StatusOK || !strings.Contains(body, `"number":"1001"`) {
		t.Errorf("GET the order: %d %s", code, body)
	}
	if code, body := get("admin", "/v1/orders/ord_2"); code != http.StatusNotFound || !strings.Contains(body, "ord_2") {
		t.Errorf("GET an unknown order: %d %s, want 404", code, body)
	}
	// A key bound to another channel is asked about, and does not see it.
	if code, body := get("retail", "/v1/orders/ord_1"); code != http.StatusNotFound {
		t.Errorf("GET another channel's order: %d %s, want 404", code, body)
	}
	if len(orders.authorized) != 1 || orders.authorized[0] != "key_retail" {
		t.Errorf("AuthorizeOrder asked about %v, want the bound key only", orders.authorized)
	}
	if code, _ := get("nobody", "/v1/orders/ord_1"); code != http.StatusUnauthorized {
		t.Errorf("GET with an unknown key: %d, want 401", code)
	}
}
