package httpapi

import (
	"reflect"
	"strings"
	"testing"
)

// TestSecretsAreTagged: every answer of the API that holds a text field
// named like a credential tags it secret:"true", so that a replayed answer never
// stores it — a route added later included.
func TestSecretsAreTagged(t *testing.T) {
	s, _ := loadOpenAPI(t)
	credential := func(name string) bool {
		return name == "secret" || name == "token" || strings.HasSuffix(name, "_secret") || strings.HasSuffix(name, "_token")
	}
	for _, rt := range s.routes {
		if rt.Response == nil {
			continue
		}
		secret := secretFields(rt.Response)
		var walk func(t reflect.Type)
		walk = func(typ reflect.Type) {
			for typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ.Kind() != reflect.Struct {
				return
			}
			for f := range typ.Fields() {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if f.Anonymous && name == "" {
					walk(f.Type)
				} else if credential(name) && f.Type.Kind() == reflect.String && !secret[name] {
					t.Errorf("%s %s answers %s without the tag secret:\"true\"", rt.Method, rt.Path, name)
				}
			}
		}
		walk(reflect.TypeOf(rt.Response))
	}
}
