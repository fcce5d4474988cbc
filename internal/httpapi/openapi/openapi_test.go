package openapi

import (
	"reflect"
	"testing"
)

func TestOpenAPIOperationID(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"GET", "/v1/orders/{id}", "get_v1_orders_id"},
		{"POST", "/v1/orders/{id}/cancel", "post_v1_orders_id_cancel"},
		{"POST", "/v1/api-keys", "post_v1_api_keys"},
		{"GET", "/openapi.json", "get_openapi_json"},
	}
	for _, tt := range tests {
		if got := OperationID(tt.method, tt.path); got != tt.want {
			t.Errorf("OperationID(%s, %s) = %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

// Secrets finds the fields tagged secret:"true", in embedded structs too,
// under their JSON names.
func TestSecrets(t *testing.T) {
	type inner struct {
		Token string `json:"token" secret:"true"`
	}
	type outer struct {
		inner
		ID     string `json:"id"`
		Secret string `json:"secret" secret:"true"`
		Bare   string `secret:"true"`
	}
	got := Secrets(reflect.TypeFor[*outer]())
	want := map[string]bool{"token": true, "secret": true, "Bare": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets = %v, want %v", got, want)
	}
}
