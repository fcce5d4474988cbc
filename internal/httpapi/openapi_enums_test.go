package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/storetest"
)

// enumUniverse is every value of every closed set the document lists, and
// near misses: the candidates each validator is tried with.
func enumUniverse() []string {
	seen := map[string]bool{"bogus": true, "Pending": true, "OPEN": true, "DDU": true, "restock ": true}
	add := func(vs []any) {
		for _, v := range vs {
			seen[v.(string)] = true
		}
	}
	for _, vs := range typeEnums {
		add(vs)
	}
	for _, vs := range fieldEnums {
		add(vs)
	}
	for _, vs := range queryEnums {
		add(vs)
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// names reports whether err is an EINVALID error naming field.
func names(err error, field string) bool {
	var e *oms.Error
	if !errors.As(err, &e) {
		return false
	}
	return slices.ContainsFunc(e.Fields, func(f oms.FieldError) bool { return f.Field == field })
}

// propertyEnum returns the enum of a component schema's property (of its
// items, for a list).
func propertyEnum(t *testing.T, doc *openapi3.T, schema, prop string) []any {
	t.Helper()
	s := doc.Components.Schemas[schema]
	if s == nil || s.Value.Properties[prop] == nil {
		t.Fatalf("no property %s.%s", schema, prop)
	}
	p := s.Value.Properties[prop].Value
	if p.Items != nil {
		p = p.Items.Value
	}
	return p.Enum
}

// The enums of request fields list exactly what the validators accept: each
// value of the universe is accepted when, and only when, the document lists
// it.
func TestOpenAPIEnumsMatchValidation(t *testing.T) {
	_, doc := loadOpenAPI(t)
	channel := func(f func(*oms.Channel)) error {
		c := oms.Channel{Code: "web", Name: "Web", Kind: "web", Currency: "USD", BackorderPolicy: oms.BackorderReject}
		f(&c)
		return c.Validate()
	}
	location := func(kind string) error {
		l := oms.Location{Code: "wh1", Name: "Warehouse", Kind: kind}
		return l.Validate()
	}
	ret := &oms.Return{Lines: []oms.ReturnLine{{LineID: "L1", Quantity: 1}}}
	receipt := func(condition, disposition string) error {
		_, err := ret.CheckReceipts([]oms.Receipt{{LineID: "L1", Quantity: 1, Condition: condition, Disposition: disposition, Location: "wh1"}})
		return err
	}
	settings := func(f func(*oms.ReturnSettings)) error {
		s := oms.DefaultReturnSettings()
		f(&s)
		return s.Validate()
	}
	edit := func(kind string) error {
		o := &oms.Order{Status: oms.StatusPending, Currency: "USD",
			Lines: []oms.Line{{ID: "L1", SKU: "mug", Quantity: 2, Open: 2, UnitPrice: 100, Subtotal: 200}}}
		_, err := o.Edit([]oms.EditOp{{Kind: oms.EditKind(kind), LineID: "L1", Quantity: 1}}, nil)
		return err
	}
	tests := []struct {
		schema, prop string
		refused      func(v string) bool
	}{
		{"ChannelRequest", "kind", func(v string) bool { return names(channel(func(c *oms.Channel) { c.Kind = v }), "kind") }},
		{"ChannelRequest", "backorder_policy", func(v string) bool {
			return names(channel(func(c *oms.Channel) { c.BackorderPolicy = oms.BackorderPolicy(v) }), "backorder_policy")
		}},
		{"LocationRequest", "kind", func(v string) bool { return names(location(v), "kind") }},
		{"AdjustmentRequest", "reason", func(v string) bool {
			d := int64(1)
			a := oms.Adjustment{SKU: "mug", Location: "wh1", Reason: v, Delta: &d}
			return names(a.Validate(), "reason")
		}},
		{"SupplyRequest", "kind", func(v string) bool {
			s := oms.Supply{SKU: "mug", Location: "wh1", Kind: v, Quantity: 1}
			return names(s.Validate(), "kind")
		}},
		{"MoveRequest", "status", func(v string) bool {
			_, err := batchMoves([]moveRequest{{Fulfillment: "1001-F1", Status: v}}, nil)
			return names(err, "moves[0].status")
		}},
		{"HoldRequest", "type", func(v string) bool { return names(oms.ValidateHold(oms.HoldType(v), ""), "type") }},
		{"ReleaseRequest", "type", func(v string) bool { return names(oms.ValidateHold(oms.HoldType(v), ""), "type") }},
		{"EditOpRequest", "op", func(v string) bool { return names(edit(v), "operations[0].op") }},
		{"OrderRequest", "incoterm", func(v string) bool {
			d := oms.OrderDraft{Incoterm: v}
			return names(d.Validate(), "incoterm")
		}},
		{"ReturnLineInput", "condition", func(v string) bool {
			r := oms.ReturnRequest{Lines: []oms.ReturnLine{{LineID: "L1", Quantity: 1, Reason: "other", Condition: v}}}
			return names(r.Validate(oms.DefaultReturnReasons, map[string]int64{"L1": 1}), "lines[0].condition")
		}},
		{"ReceiptInput", "condition", func(v string) bool { return names(receipt(v, oms.DispositionScrap), "units[0].condition") }},
		{"ReceiptInput", "disposition", func(v string) bool { return names(receipt("new", v), "units[0].disposition") }},
		{"ReturnSettings", "shipping_refund", func(v string) bool {
			return names(settings(func(s *oms.ReturnSettings) { s.ShippingRefund = v }), "shipping_refund")
		}},
		{"RestockingFee", "kind", func(v string) bool {
			return names(settings(func(s *oms.ReturnSettings) { s.RestockingFee.Kind = v }), "restocking_fee.kind")
		}},
		{"RefundRequest", "kind", func(v string) bool { return names(oms.CheckRefund(v, 1, 10, "goodwill", ""), "kind") }},
		{"ApiKeyRequest", "role", func(v string) bool { return !oms.Role(v).Valid() }},
		{"CaseUpdate", "status", func(v string) bool { return !oms.CaseStatus(v).Valid() }},
	}
	universe := enumUniverse()
	for _, tc := range tests {
		t.Run(tc.schema+"."+tc.prop, func(t *testing.T) {
			enum := propertyEnum(t, doc, tc.schema, tc.prop)
			if len(enum) == 0 {
				t.Fatal("no enum")
			}
			for _, v := range universe {
				if listed := slices.Contains(enum, any(v)); tc.refused(v) == listed {
					t.Errorf("%q: listed %v, but the validator accepts it: %v", v, listed, !listed)
				}
			}
		})
	}
}

// The enums of query parameters list exactly what the routes accept.
func TestOpenAPIQueryEnumsMatchRoutes(t *testing.T) {
	_, doc := loadOpenAPI(t)
	db := storetest.Open(t, storetest.Engines(t)[0])
	_, secret, err := db.CreateAPIKey(t.Context(), "admin", oms.RoleAdmin, oms.System("test"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, slog.New(slog.DiscardHandler))
	tests := []struct{ path, param, query string }{
		{"/v1/orders", "status", ""},
		{"/v1/orders", "expand", ""},
		{"/v1/supply", "status", ""},
		{"/v1/cases", "status", ""},
		{"/v1/returns", "status", ""},
		{"/v1/reports/stockouts", "period", "from=2026-01-01&to=2026-01-31&"},
	}
	universe := enumUniverse()
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.param, func(t *testing.T) {
			var enum []any
			for _, p := range doc.Paths.Value(tc.path).Get.Parameters {
				if p.Value.In == "query" && p.Value.Name == tc.param {
					enum = p.Value.Schema.Value.Enum
				}
			}
			if len(enum) == 0 {
				t.Fatal("no enum")
			}
			for _, v := range universe {
				req := httptest.NewRequest(http.MethodGet, tc.path+"?"+tc.query+tc.param+"="+url.QueryEscape(v), nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				listed := slices.Contains(enum, any(v))
				if accepted := rec.Code == http.StatusOK; accepted != listed {
					t.Errorf("%q: listed %v, status %d: %s", v, listed, rec.Code, rec.Body)
				}
			}
		})
	}
}

// closedSetNames are property names that usually hold a closed set.
var closedSetNames = []string{"status", "kind", "type", "reason", "role", "op", "condition", "disposition",
	"source", "outcome", "match", "method", "period", "backorder_policy", "shipping_refund", "incoterm"}

// freeForm are the properties with such a name that are not closed sets,
// and why.
var freeForm = map[string]string{
	"Event.type":                      "event types grow with the product; clients must ignore types they do not know",
	"TimelineEntry.type":              "an event type (see Event.type)",
	"Problem.type":                    "a URI naming the problem; code is the closed set",
	"Hold.reason":                     "free text",
	"HoldRequest.reason":              "free text",
	"CancelRequest.reason":            "free text",
	"CloseReturnRequest.reason":       "free text",
	"RejectRequest.reason":            "free text",
	"CancelFulfillmentRequest.reason": "free text",
	"OrderCancelled.reason":           "free text, or why oms cancelled the order",
	"OrderLinesCancelled.reason":      "free text, or why oms cancelled the units",
	"OrderSourced.reason":             "why oms sourced the order again, in words",
	"FulfillmentRejectedEvent.reason": "free text",
	"Refund.reason":                   "free text",
	"RefundRequest.reason":            "free text",
	"SiteVerdict.reason":              "free text explaining a sourcing decision",
	"ReturnLine.reason":               "one of the reasons the return settings list, which an admin changes",
	"ReturnLineInput.reason":          "one of the reasons the return settings list, which an admin changes",
	"Sourcing.method":                 "the sourcer's methods are literals in its code, with no list to derive an enum from",
	"Health.status":                   "ok or unavailable, literals of the health handler",
	"Readiness.status":                "ok or unavailable, literals of the readiness handler",
	"Readiness.reason":                "free text",
	"WebhookEndpointDisabled.reason":  "why oms disabled the endpoint, in words",
	"WebhookMessage.type":             "an event type (see Event.type); each x-webhooks entry names its own",
}

// Every property whose name suggests a closed set lists its values, unless
// it is known to be free-form: a new status or kind field without an enum
// fails here.
func TestOpenAPIClosedSetsHaveEnums(t *testing.T) {
	_, doc := loadOpenAPI(t)
	for name, s := range doc.Components.Schemas {
		for prop, ref := range s.Value.Properties {
			p := ref.Value
			if p.Items != nil {
				p = p.Items.Value
			}
			key := name + "." + prop
			if !slices.Contains(closedSetNames, prop) || p == nil || !p.Type.Is("string") || p.Format != "" {
				continue
			}
			if _, ok := freeForm[key]; ok {
				if len(p.Enum) > 0 {
					t.Errorf("%s has an enum but is listed as free-form", key)
				}
				continue
			}
			if len(p.Enum) == 0 {
				t.Errorf("%s has no enum; give it one in openapi_enums.go, or list it in freeForm with the reason", key)
			}
		}
	}
	for key := range freeForm {
		schema, prop, _ := strings.Cut(key, ".")
		if s := doc.Components.Schemas[schema]; s == nil || s.Value.Properties[prop] == nil {
			t.Errorf("freeForm lists %s, which the document does not have", key)
		}
	}
}
