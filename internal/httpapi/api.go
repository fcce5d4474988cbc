package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/httpapi/accesslog"
	"github.com/omshq/oms/internal/httpapi/answer"
	"github.com/omshq/oms/internal/httpapi/decode"
	"github.com/omshq/oms/internal/httpapi/handle"
	"github.com/omshq/oms/internal/httpapi/idempotency"
	"github.com/omshq/oms/internal/httpapi/openapi"
	"github.com/omshq/oms/internal/httpapi/reports"
	"github.com/omshq/oms/internal/httpapi/returns"
	"github.com/omshq/oms/internal/httpapi/service"
	"github.com/omshq/oms/internal/httpapi/webhooks"
	"github.com/omshq/oms/internal/metrics"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/version"
)

// Server is the HTTP API.
type Server struct {
	svc oms.Services
	fx  fxRates
	// db answers GET /readyz; every other handler goes through svc.
	db      schema
	log     *slog.Logger
	mux     *http.ServeMux
	counted http.Handler // mux, with the requests counted when metrics are used
	routes  []route
	openapi func() ([]byte, error) // the OpenAPI document, rendered once
	// metrics records requests and answers GET /metrics; nil records
	// nothing. metricsHere says whether GET /metrics answers on this API.
	metrics     *metrics.Metrics
	metricsHere bool
	// readyChecks are what GET /readyz asks beyond the store's schema.
	readyChecks []readyCheck
	// console serves the paths that are not the API's (see Mount); nil
	// answers them 404.
	console http.Handler
	// The handler groups that live in packages of their own.
	service  *service.Handlers
	returns  *returns.Handlers
	webhooks *webhooks.Handlers
	reports  *reports.Handlers
}

// readyCheck is a check of GET /readyz: an error means not ready, for
// reason.
type readyCheck struct {
	reason string
	check  func(context.Context) error
}

// AddReadyCheck makes GET /readyz answer 503, saying reason, while check
// fails. Call it before serving.
func (s *Server) AddReadyCheck(reason string, check func(context.Context) error) {
	s.readyChecks = append(s.readyChecks, readyCheck{reason, check})
}

// route is one route of the API: its entry in the route table joined to its
// operation (the report routes are still written whole, in package
// reports).
type route = handle.Route

// entry is a line of the route table (see routeTable).
type entry struct {
	method, path string
	perm         oms.Permission // empty: no authentication
	handle       handle.Func
}

// route joins the entry to its operation and the operation's prose.
func (e entry) route() route {
	id := openapi.OperationID(e.method, e.path)
	op, ok := operations[id]
	pr, prosed := openapi.ProseOf(id)
	if !ok || !prosed {
		panic("httpapi: no operation or no prose " + id + " for " + e.method + " " + e.path)
	}
	return route{Method: e.method, Path: e.path, Perm: e.perm, Handle: e.handle,
		Summary: pr.Summary, Doc: pr.Doc, Request: op.request, Response: op.response, Status: op.status,
		Query: pr.Query, BodyLimit: op.bodyLimit, IfMatch: op.ifMatch, CSV: op.csv}
}

// param is a query parameter (see openapi.Param).
type param = openapi.Param

// guard says whether a route that changes an order takes If-Match (see
// openapi.Guard).
type guard = openapi.Guard

const (
	noGuard       = openapi.NoGuard
	optionalGuard = openapi.OptionalGuard
	requiredGuard = openapi.RequiredGuard
)

// fxRates imports and reads exchange rates. It is the one service in the
// fx package's terms (fx depends on the root package), so it is declared
// here rather than among oms's services.
type fxRates interface {
	ImportRates(ctx context.Context, rates []fx.Rate, by oms.Principal) (oms.FXImport, error)
	RatesOn(ctx context.Context, day time.Time) (fx.RateSet, error)
}

// schema is what GET /readyz asks of the database: its engine, and the
// migrations it lacks.
type schema interface {
	Engine() string
	PendingMigrations(ctx context.Context) (int, error)
}

// New returns the API over the store.
func New(db *store.DB, log *slog.Logger) *Server {
	return newServer(db.Services(), db, db, log)
}

// newServer returns the API over the services, with the exchange rates and
// the database's schema from their own sources.
func newServer(svc oms.Services, rates fxRates, db schema, log *slog.Logger) *Server {
	s := &Server{svc: svc, fx: rates, db: db, log: log, mux: http.NewServeMux(),
		service: service.New(svc.Orders, svc.Customers), returns: returns.New(svc.Returns, svc.Orders), webhooks: webhooks.New(svc.Webhooks), reports: reports.New(svc.Reports)}
	s.counted = s.mux
	s.routes = s.routeTable()
	s.openapi = marshalOpenAPI(s.routes)
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if s.console != nil && r.URL.Path != "/v1" && !strings.HasPrefix(r.URL.Path, "/v1/") {
			s.console.ServeHTTP(w, r)
			return
		}
		s.writeError(w, r, oms.Errorf(oms.ENOTFOUND, "no route for %s %s", r.Method, r.URL.Path))
	})
	return s
}

// routeTable is every route of the API, one a line: method, path, the
// permission it needs (empty: none, and no key) and its handler. What each
// route takes and answers is its operation in operations, and what the
// OpenAPI document says of it in words is its prose (openapi.ProseOf), both
// under its operation id (see openapi.OperationID).
func (s *Server) routeTable() []route {
	table := []entry{
		{"GET", "/healthz", "", s.health},
		{"GET", "/readyz", "", s.ready},
		{"GET", "/metrics", oms.PermReportRead, s.serveMetrics},
		{"GET", "/openapi.json", "", s.openAPI},

		{"GET", "/v1/channels", oms.PermCatalogRead, s.listChannels},
		{"GET", "/v1/channels/{code}", oms.PermCatalogRead, s.getChannel},
		{"PUT", "/v1/channels/{code}", oms.PermCatalogWrite, s.putChannel},
		{"POST", "/v1/channels/{code}/orders", oms.PermOrderCreate, s.ingestOrder},
		{"POST", "/v1/webhooks/{code}", "", s.webhook},
		{"GET", "/v1/channels/{code}/availability", oms.PermAvailabilityRead, s.availability},
		{"GET", "/v1/channels/{code}/sku-mappings", oms.PermCatalogRead, s.listSKUMappings},
		{"PUT", "/v1/channels/{code}/sku-mappings/{listing_sku}", oms.PermCatalogWrite, s.putSKUMapping},
		{"DELETE", "/v1/channels/{code}/sku-mappings/{listing_sku}", oms.PermCatalogWrite, s.deleteSKUMapping},

		{"GET", "/v1/locations", oms.PermCatalogRead, s.listLocations},
		{"GET", "/v1/locations/{code}", oms.PermCatalogRead, s.getLocation},
		{"PUT", "/v1/locations/{code}", oms.PermCatalogWrite, s.putLocation},

		{"GET", "/v1/items", oms.PermCatalogRead, s.listItems},
		{"GET", "/v1/items/{sku}", oms.PermCatalogRead, s.getItem},
		{"PUT", "/v1/items/{sku}", oms.PermCatalogWrite, s.putItem},

		{"GET", "/v1/inventory/{sku}/atp", oms.PermInventoryRead, s.getATP},
		{"POST", "/v1/supply", oms.PermInventoryWrite, s.createSupply},
		{"GET", "/v1/supply", oms.PermInventoryRead, s.listSupply},
		{"GET", "/v1/supply/{id}", oms.PermInventoryRead, s.getSupply},
		{"POST", "/v1/supply/{id}/receive", oms.PermInventoryWrite, s.receiveSupply},
		{"POST", "/v1/transfers", oms.PermInventoryWrite, s.createTransfer},
		{"GET", "/v1/settings/fulfillment", oms.PermSettingsRead, s.getFulfillmentSettings},
		{"PUT", "/v1/settings/fulfillment", oms.PermCatalogWrite, s.putFulfillmentSettings},
		{"PUT", "/v1/geo/postal-centroids", oms.PermCatalogWrite, s.putCentroids},
		{"POST", "/v1/inventory/adjustments", oms.PermInventoryWrite, s.adjustInventory},
		{"GET", "/v1/inventory", oms.PermInventoryRead, s.listInventory},
		{"GET", "/v1/inventory/{sku}", oms.PermInventoryRead, s.getStock},
		{"PUT", "/v1/inventory/{sku}/safety-stock", oms.PermInventoryWrite, s.setSafetyStock},
		{"GET", "/v1/inventory/{sku}/ledger", oms.PermInventoryRead, s.getLedger},

		{"POST", "/v1/orders", oms.PermOrderCreate, s.placeOrder},
		{"GET", "/v1/orders", oms.PermOrderRead, s.listOrders},
		{"GET", "/v1/orders/{id}", oms.PermOrderRead, s.getOrder},
		{"GET", "/v1/orders/{id}/events", oms.PermOrderRead, s.orderEvents},
		{"GET", "/v1/orders/{id}/timeline", oms.PermServiceRead, s.service.OrderTimeline},
		{"POST", "/v1/orders/{id}/notes", oms.PermServiceWrite, s.service.AddOrderNote},
		{"GET", "/v1/orders/{id}/notes", oms.PermServiceRead, s.service.OrderNotes},
		{"GET", "/v1/search", oms.PermSearch, s.search},
		{"GET", "/v1/customers", oms.PermCustomerRead, s.listCustomers},
		{"GET", "/v1/customers/{customer}", oms.PermCustomerRead, s.getCustomer},
		{"POST", "/v1/customers/{customer}/notes", oms.PermServiceWrite, s.service.AddCustomerNote},
		{"GET", "/v1/customers/{customer}/notes", oms.PermServiceRead, s.service.CustomerNotes},
		{"POST", "/v1/cases", oms.PermServiceWrite, s.service.OpenCase},
		{"GET", "/v1/cases", oms.PermServiceRead, s.service.ListCases},
		{"GET", "/v1/cases/{id}", oms.PermServiceRead, s.service.GetCase},
		{"POST", "/v1/cases/{id}/messages", oms.PermServiceWrite, s.service.AddCaseMessage},
		{"PATCH", "/v1/cases/{id}", oms.PermServiceWrite, s.service.UpdateCase},
		{"GET", "/v1/orders/{id}/payloads", oms.PermCustomerRead, s.orderPayloads},
		{"GET", "/v1/events", oms.PermOrderRead, s.events},
		{"GET", "/v1/orders/{id}/sourcing", oms.PermOrderRead, s.orderSourcing},
		{"POST", "/v1/sourcing/simulate", oms.PermOrderRead, s.simulateSourcing},
		{"GET", "/v1/orders/{id}/fulfillments", oms.PermOrderRead, s.orderFulfillments},
		{"GET", "/v1/fulfillments/{id}", oms.PermFulfillRead, s.getFulfillment},
		{"GET", "/v1/locations/{code}/fulfillments", oms.PermFulfillRead, s.locationFulfillments},
		{"GET", "/v1/locations/{code}/picklist", oms.PermFulfillRead, s.pickList},
		{"POST", "/v1/fulfillments/moves", oms.PermFulfillWrite, s.moveFulfillments},
		{"POST", "/v1/fulfillments/{id}/pick", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentPicking)},
		{"POST", "/v1/fulfillments/{id}/pack", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentPacked)},
		{"POST", "/v1/fulfillments/{id}/ship", oms.PermFulfillWrite, s.shipFulfillment},
		{"POST", "/v1/fulfillments/{id}/deliver", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentDelivered)},
		{"POST", "/v1/fulfillments/{id}/ready", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentReadyForPickup)},
		{"POST", "/v1/fulfillments/{id}/pickup", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentPickedUp)},
		{"POST", "/v1/fulfillments/{id}/cancel", oms.PermFulfillWrite, s.moveFulfillment(oms.FulfillmentCancelled)},
		{"POST", "/v1/fulfillments/{id}/reject", oms.PermFulfillWrite, s.rejectFulfillment},
		{"POST", "/v1/orders/{id}/holds", oms.PermOrderHold, s.placeHold},
		{"POST", "/v1/orders/{id}/release", oms.PermOrderHold, s.releaseHolds},
		{"GET", "/v1/settings/screening", oms.PermSettingsRead, s.getScreening},
		{"PUT", "/v1/settings/screening", oms.PermCatalogWrite, s.putScreening},
		{"GET", "/v1/settings/store", oms.PermSettingsRead, s.getStoreSettings},
		{"PUT", "/v1/settings/store", oms.PermCatalogWrite, s.putStoreSettings},
		{"POST", "/v1/orders/{id}/cancel", oms.PermOrderCancel, s.cancelOrder},
		{"POST", "/v1/orders/{id}/edits", oms.PermOrderEdit, s.editOrder},
		{"GET", "/v1/orders/{id}/edits", oms.PermOrderRead, s.orderEdits},
		{"POST", "/v1/orders/{id}/source", oms.PermOrderEdit, s.resourceOrder},

		{"POST", "/v1/orders/{id}/returns", oms.PermReturnWrite, s.returns.CreateReturn},
		{"GET", "/v1/returns", oms.PermReturnRead, s.returns.ListReturns},
		{"GET", "/v1/returns/{id}", oms.PermReturnRead, s.returns.GetReturn},
		{"POST", "/v1/returns/{id}/approve", oms.PermReturnWrite, s.returns.ApproveReturn},
		{"POST", "/v1/returns/{id}/reject", oms.PermReturnWrite, s.returns.RejectReturn},
		{"POST", "/v1/returns/{id}/receive", oms.PermReturnReceive, s.returns.ReceiveReturn},
		{"POST", "/v1/returns/{id}/close", oms.PermRefundWrite, s.returns.CloseReturn},
		{"POST", "/v1/orders/{id}/refunds", oms.PermRefundWrite, s.returns.RefundOrder},
		{"GET", "/v1/orders/{id}/refunds", oms.PermReturnRead, s.returns.GetRefunds},
		{"GET", "/v1/settings/returns", oms.PermReturnRead, s.returns.GetReturnSettings},
		{"PUT", "/v1/settings/returns", oms.PermCatalogWrite, s.returns.PutReturnSettings},
		{"POST", "/v1/orders/{id}/return-link", oms.PermReturnWrite, s.returns.CreateReturnLink},
		{"GET", "/v1/return-portal/{token}", "", s.returns.GetReturnPortal},
		{"POST", "/v1/return-portal/{token}/returns", "", s.returns.PortalReturn},

		{"POST", "/v1/fx-rates", oms.PermCatalogWrite, s.importRates},
		{"GET", "/v1/fx-rates", oms.PermSettingsRead, s.getRates},
		{"GET", "/v1/fx-rates/convert", oms.PermSettingsRead, s.convertAmount},
		{"GET", "/v1/settings/currency", oms.PermSettingsRead, s.getCurrencySettings},
		{"PUT", "/v1/settings/currency", oms.PermCatalogWrite, s.putCurrencySettings},
		{"GET", "/v1/tax-rules", oms.PermSettingsRead, s.listTaxRules},
		{"GET", "/v1/tax-rules/{key}", oms.PermSettingsRead, s.getTaxRule},
		{"PUT", "/v1/tax-rules/{key}", oms.PermCatalogWrite, s.putTaxRule},
		{"DELETE", "/v1/tax-rules/{key}", oms.PermCatalogWrite, s.deleteTaxRule},

		{"GET", "/v1/admin/check", oms.PermAPIKeyManage, s.check},

		{"POST", "/v1/api-keys", oms.PermAPIKeyManage, s.createAPIKey},
		{"GET", "/v1/api-keys", oms.PermAPIKeyManage, s.listAPIKeys},
		{"DELETE", "/v1/api-keys/{id}", oms.PermAPIKeyManage, s.revokeAPIKey},
		{"POST", "/v1/api-keys/{id}/rotate", oms.PermAPIKeyManage, s.rotateAPIKey},

		{"GET", "/v1/exports/orders", oms.PermOrderRead, s.export("orders")},
		{"GET", "/v1/exports/order-lines", oms.PermOrderRead, s.export("order-lines")},
		{"GET", "/v1/exports/inventory", oms.PermInventoryRead, s.export("inventory")},
		{"GET", "/v1/exports/ledger", oms.PermInventoryRead, s.export("ledger")},

		{"POST", "/v1/webhook-endpoints", oms.PermAPIKeyManage, s.webhooks.CreateWebhookEndpoint},
		{"GET", "/v1/webhook-endpoints", oms.PermAPIKeyManage, s.webhooks.ListWebhookEndpoints},
		{"GET", "/v1/webhook-endpoints/{id}", oms.PermAPIKeyManage, s.webhooks.GetWebhookEndpoint},
		{"PATCH", "/v1/webhook-endpoints/{id}", oms.PermAPIKeyManage, s.webhooks.UpdateWebhookEndpoint},
		{"DELETE", "/v1/webhook-endpoints/{id}", oms.PermAPIKeyManage, s.webhooks.DeleteWebhookEndpoint},
		{"POST", "/v1/webhook-endpoints/{id}/rotate-secret", oms.PermAPIKeyManage, s.webhooks.RotateWebhookSecret},
		{"GET", "/v1/webhook-endpoints/{id}/deliveries", oms.PermAPIKeyManage, s.webhooks.ListWebhookDeliveries},
		{"POST", "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry", oms.PermAPIKeyManage, s.webhooks.RetryWebhookDelivery},
		{"POST", "/v1/webhook-endpoints/{id}/replay", oms.PermAPIKeyManage, s.webhooks.ReplayWebhookEvents},
	}
	routes := make([]route, len(table))
	for i, e := range table {
		routes[i] = e.route()
	}
	return append(append(routes, s.reports.StockReportRoutes()...), s.reports.OrderReportRoutes()...)
}

// WebhooksAllowPrivate lets webhook endpoints name loopback and private
// addresses (the server's --webhooks-allow-private). Call it before serving.
func (s *Server) WebhooksAllowPrivate(allow bool) { s.webhooks.AllowPrivate = allow }

// ServeHTTP serves the API, writing a line per request to the access log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	accesslog.Serve(s.log, w, r, s.counted)
}

// Mount makes the server answer every path that is not the API's — the
// API's are /v1 and below and the paths of its other routes (/healthz,
// /readyz, /metrics, /openapi.json) — from console, as the API's own are
// answered: with a request id, a line in the access log and counted in the
// metrics. Call it before serving.
func (s *Server) Mount(console http.Handler) { s.console = console }

// UseMetrics makes the server count and time its requests in m, and, when
// here is true, answer GET /metrics (to keys that may read reports) with
// m's registry; when it is false the metrics are served elsewhere (oms
// serve --metrics-addr) and GET /metrics is not found here. Call it before
// serving.
func (s *Server) UseMetrics(m *metrics.Metrics, here bool) {
	s.metrics, s.metricsHere = m, here
	s.counted = m.Middleware(s.mux)
}

// wrap adds to a handler what every route shares: the body limit,
// authentication and role check, Idempotency-Key replay for POST, and the
// answer to a returned error.
func (s *Server) wrap(rt route) http.Handler {
	secrets := secretFields(rt.Response)
	if rt.Request == nil && rt.Method != http.MethodGet && rt.Method != http.MethodDelete {
		// A route that takes no body still reads it: anything but {} is
		// refused before the route acts.
		act := rt.Handle
		rt.Handle = func(w http.ResponseWriter, r *http.Request) error {
			if err := decode.None(r); err != nil {
				return err
			}
			return act(w, r)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := rt.BodyLimit
		if limit == 0 {
			limit = decode.MaxBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.Perm != "" {
			key, err := s.authenticate(r, rt.Perm)
			if e := accesslog.EntryOf(r); e != nil {
				e.Key = key.ID // a key refused for its role is logged too
			}
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = handle.WithKey(r, key)
			if err := s.authorizePath(r, rt); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			idempotency.Serve(w, r, s.svc.Idempotency, handle.Key(r).ID,
				idempotency.Route{Pattern: rt.Path, Secrets: secrets, Handle: rt.Handle, Fail: s.writeError})
			return
		}
		if err := rt.Handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authenticate checks the bearer key and that its role holds perm.
func (s *Server) authenticate(r *http.Request, perm oms.Permission) (oms.APIKey, error) {
	secret, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return oms.APIKey{}, oms.Errorf(oms.EUNAUTHORIZED, "send an API key as 'Authorization: Bearer <key>'")
	}
	key, err := s.svc.Keys.Authenticate(r.Context(), secret)
	if err != nil {
		return key, err
	}
	if !key.Role.Allows(perm) {
		return key, oms.Errorf(oms.EFORBIDDEN, "the %s role may not %s", key.Role, perm)
	}
	return key, nil
}

type checkReport struct {
	OK         bool     `json:"ok"`
	Orders     int      `json:"orders"`
	Lines      int      `json:"lines"`
	Balances   int      `json:"balances"`
	Violations []string `json:"violations"`
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.svc.Admin.Check(r.Context())
	if err != nil {
		return err
	}
	return answer.JSON(w, http.StatusOK, checkReport{OK: len(rep.Violations) == 0, Orders: rep.Orders,
		Lines: rep.Lines, Balances: rep.Balances, Violations: answer.NonNil(rep.Violations)})
}

type health struct {
	Status  string `json:"status"`
	DB      string `json:"database"`
	Version string `json:"version"` // of the running oms, as oms version prints it
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Admin.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", slog.Any("error", err))
		return answer.JSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", DB: s.svc.Admin.Engine(), Version: version.Get().Version})
	}
	return answer.JSON(w, http.StatusOK, health{Status: "ok", DB: s.svc.Admin.Engine(), Version: version.Get().Version})
}
