package httpapi

import (
	"reflect"
	"slices"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/openapi"
	"github.com/omshq/oms/internal/httpapi/orderbody"
	"github.com/omshq/oms/internal/httpapi/returns"
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

// fieldEnums are the values of plain string fields that hold a closed set.
var fieldEnums = map[openapi.Field][]any{
	openapi.FieldOf[oms.Channel]("kind"):                   enumOf(oms.ChannelKinds),
	openapi.FieldOf[channelRequest]("kind"):                enumOf(oms.ChannelKinds),
	openapi.FieldOf[oms.Location]("kind"):                  enumOf(oms.LocationKinds),
	openapi.FieldOf[locationRequest]("kind"):               enumOf(oms.LocationKinds),
	openapi.FieldOf[oms.LedgerEntry]("reason"):             enumOf(oms.MoveKinds),
	openapi.FieldOf[oms.InventoryAdjusted]("reason"):       enumOf(oms.AdjustReasons),
	openapi.FieldOf[adjustmentRequest]("reason"):           enumOf(oms.AdjustReasons),
	openapi.FieldOf[oms.Supply]("kind"):                    enumOf(oms.SupplyKinds),
	openapi.FieldOf[supplyRequest]("kind"):                 enumOf(oms.SupplyKinds),
	openapi.FieldOf[oms.Supply]("status"):                  enumOf(oms.SupplyStatuses),
	openapi.FieldOf[moveRequest]("status"):                 enumOf(movableStatuses()),
	openapi.FieldOf[oms.Order]("incoterm"):                 enumOf(oms.Incoterms),
	openapi.FieldOf[orderbody.OrderRequest]("incoterm"):    enumOf(oms.Incoterms),
	openapi.FieldOf[oms.OrderLink]("kind"):                 enumOf(oms.LinkKinds),
	openapi.FieldOf[oms.Return]("source"):                  enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnRequestedEvent]("source"):    enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnApprovedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnRejectedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnReceivedEvent]("source"):     enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnClosedEvent]("source"):       enumOf([]string{oms.SourceStaff, oms.SourceLink}),
	openapi.FieldOf[oms.ReturnLine]("condition"):           enumOf(oms.ReturnConditions),
	openapi.FieldOf[returns.ReturnLineInput]("condition"):  enumOf(oms.ReturnConditions),
	openapi.FieldOf[oms.ReturnUnit]("condition"):           enumOf(oms.ReturnConditions),
	openapi.FieldOf[returns.ReceiptInput]("condition"):     enumOf(oms.ReturnConditions),
	openapi.FieldOf[oms.Portal]("conditions"):              enumOf(oms.ReturnConditions),
	openapi.FieldOf[oms.ReturnUnit]("disposition"):         enumOf(oms.Dispositions),
	openapi.FieldOf[returns.ReceiptInput]("disposition"):   enumOf(oms.Dispositions),
	openapi.FieldOf[oms.ReturnSettings]("shipping_refund"): enumOf(oms.ShippingRefunds),
	openapi.FieldOf[oms.RestockingFee]("kind"):             enumOf(oms.FeeKinds),
	openapi.FieldOf[oms.Refund]("kind"):                    enumOf(oms.RefundKinds),
	openapi.FieldOf[returns.RefundRequest]("kind"):         enumOf(oms.ManualRefundKinds),
	openapi.FieldOf[oms.SearchResult]("type"):              enumOf(oms.ResultTypes),
	openapi.FieldOf[oms.TimelineEntry]("kind"):             enumOf(oms.TimelineKinds),
	openapi.FieldOf[oms.WebhookDelivery]("status"):         {oms.DeliveryPending, oms.DeliveryFailed, oms.DeliverySucceeded, oms.DeliveryDead},
	openapi.FieldOf[webhookAnswer]("outcome"):              enumOf(webhookOutcomes),
	openapi.FieldOf[Problem]("code"):                       enumOf(answer.Codes()),
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

func enumOf[T ~string](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
