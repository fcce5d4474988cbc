package httpapi

import (
	"maps"
	"reflect"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/omshq/oms"
)

// The closed sets of values the API speaks, for the OpenAPI document's
// enums. Each comes from the list its validator checks against, so that
// the document cannot drift from what the API accepts.

// typeEnums are the values of the named string types, by type.
var typeEnums = map[reflect.Type][]any{
	reflect.TypeFor[oms.Status]():            enumOf(oms.Statuses),
	reflect.TypeFor[oms.FulfillmentStatus](): enumOf(oms.FulfillmentStatuses),
	reflect.TypeFor[oms.HoldType]():          enumOf(oms.HoldTypes),
	reflect.TypeFor[oms.ReturnStatus]():      enumOf(oms.ReturnStatuses),
	reflect.TypeFor[oms.CaseStatus]():        enumOf(oms.CaseStatuses),
	reflect.TypeFor[oms.Role]():              enumOf(oms.Roles),
	reflect.TypeFor[oms.BackorderPolicy]():   enumOf(oms.BackorderPolicies),
	reflect.TypeFor[oms.EditKind]():          enumOf(oms.EditKinds),
	reflect.TypeFor[oms.Period]():            enumOf(oms.Periods),
	reflect.TypeFor[oms.ColumnType]():        enumOf(oms.ColumnTypes),
	reflect.TypeFor[oms.Match]():             enumOf(oms.Matches),
}

// enumField is a plain string field (or list of strings) holding a closed
// set: a struct type and the field's JSON name.
type enumField struct {
	in   reflect.Type
	name string
}

func fieldOf[T any](name string) enumField { return enumField{reflect.TypeFor[T](), name} }

// fieldEnums are the values of plain string fields that hold a closed set.
var fieldEnums = map[enumField][]any{
	fieldOf[oms.Channel]("kind"):                   enumOf(oms.ChannelKinds),
	fieldOf[channelRequest]("kind"):                enumOf(oms.ChannelKinds),
	fieldOf[oms.Location]("kind"):                  enumOf(oms.LocationKinds),
	fieldOf[locationRequest]("kind"):               enumOf(oms.LocationKinds),
	fieldOf[oms.LedgerEntry]("reason"):             enumOf(oms.MoveKinds),
	fieldOf[oms.InventoryAdjusted]("reason"):       enumOf(oms.AdjustReasons),
	fieldOf[adjustmentRequest]("reason"):           enumOf(oms.AdjustReasons),
	fieldOf[oms.Supply]("kind"):                    enumOf(oms.SupplyKinds),
	fieldOf[supplyRequest]("kind"):                 enumOf(oms.SupplyKinds),
	fieldOf[oms.Supply]("status"):                  enumOf(oms.SupplyStatuses),
	fieldOf[moveRequest]("status"):                 enumOf(movableStatuses()),
	fieldOf[oms.Order]("incoterm"):                 enumOf(oms.Incoterms),
	fieldOf[orderRequest]("incoterm"):              enumOf(oms.Incoterms),
	fieldOf[oms.OrderLink]("kind"):                 enumOf(oms.LinkKinds),
	fieldOf[oms.Return]("source"):                  enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnRequestedEvent]("source"):    enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnApprovedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnRejectedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnReceivedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnClosedEvent]("source"):       enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	fieldOf[oms.ReturnLine]("condition"):           enumOf(oms.ReturnConditions),
	fieldOf[returnLineInput]("condition"):          enumOf(oms.ReturnConditions),
	fieldOf[oms.ReturnUnit]("condition"):           enumOf(oms.ReturnConditions),
	fieldOf[receiptInput]("condition"):             enumOf(oms.ReturnConditions),
	fieldOf[oms.Portal]("conditions"):              enumOf(oms.ReturnConditions),
	fieldOf[oms.ReturnUnit]("disposition"):         enumOf(oms.Dispositions),
	fieldOf[receiptInput]("disposition"):           enumOf(oms.Dispositions),
	fieldOf[oms.ReturnSettings]("shipping_refund"): enumOf(oms.ShippingRefunds),
	fieldOf[oms.RestockingFee]("kind"):             enumOf(oms.FeeKinds),
	fieldOf[oms.Refund]("kind"):                    enumOf(oms.RefundKinds),
	fieldOf[refundRequest]("kind"):                 enumOf(oms.ManualRefundKinds),
	fieldOf[oms.SearchResult]("type"):              enumOf(oms.ResultTypes),
	fieldOf[oms.TimelineEntry]("kind"):             enumOf(oms.TimelineKinds),
	fieldOf[oms.WebhookDelivery]("status"):         {oms.DeliveryPending, oms.DeliveryFailed, oms.DeliverySucceeded, oms.DeliveryDead},
	fieldOf[webhookAnswer]("outcome"):              enumOf(webhookOutcomes),
	fieldOf[Problem]("code"):                       enumOf(slices.Sorted(maps.Keys(codes))),
}

// queryEnums are the values of query parameters that take one of a closed
// set: by "METHOD path name", or by name alone where the name means the same
// on every route.
var queryEnums = map[string][]any{
	"GET /v1/orders status":  enumOf(oms.Statuses),
	"GET /v1/orders expand":  {"lines"},
	"GET /v1/supply status":  enumOf(oms.SupplyStatuses),
	"GET /v1/cases status":   enumOf(oms.CaseStatuses),
	"GET /v1/returns status": enumOf(oms.ReturnStatuses),
	"period":                 enumOf(oms.Periods),
}

// movableStatuses are the statuses a fulfillment may be moved to: all but
// pending, where it starts.
func movableStatuses() []oms.FulfillmentStatus {
	return slices.DeleteFunc(slices.Clone(oms.FulfillmentStatuses),
		func(s oms.FulfillmentStatus) bool { return s == oms.FulfillmentPending })
}

// setEnums gives the schema of t the values of its closed sets: t's own
// when it is a named string type, its fields' when it is a struct.
func setEnums(t reflect.Type, schema *openapi3.Schema) {
	if values, ok := typeEnums[t]; ok {
		schema.Enum = values
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for name, prop := range schema.Properties {
		values, ok := fieldEnums[enumField{t, name}]
		if !ok || prop.Value == nil {
			continue
		}
		if s := prop.Value; s.Items != nil && s.Items.Value != nil {
			s.Items.Value.Enum = values // a list of them
		} else {
			s.Enum = values
		}
	}
}

// queryEnum returns the values a route's query parameter takes, or nil.
func queryEnum(rt route, name string) []any {
	if values, ok := queryEnums[rt.method+" "+rt.path+" "+name]; ok {
		return values
	}
	return queryEnums[name]
}
