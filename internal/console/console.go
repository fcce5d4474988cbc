package console

import (
	"cmp"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/console/act"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options configure the console.
type Options struct {
	// Secure marks cookies Secure even when requests arrive without TLS:
	// for a server behind a proxy that ends TLS. Requests over TLS always
	// get Secure cookies.
	Secure bool
	// Log receives the faults behind "something went wrong" pages.
	Log *slog.Logger
	// Now is the clock for the pages' dates; nil is time.Now.
	Now func() time.Time
	// StoreName is the name customers see on the return page; empty for
	// the store's name in its settings (the Settings page), or, without
	// one, the name of the channel the order came from.
	StoreName string
	// FX imports and reads exchange rates for the Settings screens; nil:
	// they say exchange rates are not served here.
	FX FXRates
	// WebhooksAllowPrivate lets webhook endpoints name loopback and private
	// addresses, as the API's (oms serve --webhooks-allow-private).
	WebhooksAllowPrivate bool
}

// Console serves the console's pages.
type Console struct {
	svc   oms.Services
	act   *act.Service // every call the pages make into svc
	opt   Options
	log   *slog.Logger
	pages pages
	mux   *http.ServeMux
}

// New returns the console over the services.
func New(svc oms.Services, opt Options) *Console {
	c := &Console{svc: svc, opt: opt, log: cmp.Or(opt.Log, slog.New(slog.DiscardHandler)), pages: parsePages(),
		act: act.New(svc, act.Options{StoreName: opt.StoreName, FX: opt.FX, WebhooksAllowPrivate: opt.WebhooksAllowPrivate})}
	if c.opt.Now == nil {
		c.opt.Now = time.Now
	}
	c.mux = c.routes()
	return c
}

// routes is every page and form of the console.
func (c *Console) routes() *http.ServeMux {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	mux.Handle("GET /assets/", cacheFor(24*time.Hour, http.StripPrefix("/assets/", http.FileServerFS(assets))))
	mux.HandleFunc("GET /login", c.loginPage)
	mux.HandleFunc("POST /login", c.login)
	mux.HandleFunc("POST /logout", c.user(c.logout))
	mux.HandleFunc("POST /logout/everywhere", c.user(c.logoutEverywhere))
	mux.HandleFunc("GET /orders", c.user(c.ordersPage))
	mux.HandleFunc("GET /orders/{number}", c.user(c.orderPage))
	mux.HandleFunc("POST /orders/{number}/hold", c.user(c.hold))
	mux.HandleFunc("POST /orders/{number}/release", c.user(c.release))
	mux.HandleFunc("POST /orders/{number}/cancel", c.user(c.cancel))
	mux.HandleFunc("POST /orders/{number}/notes", c.user(c.note))
	mux.HandleFunc("GET /users", c.user(c.usersPage))
	mux.HandleFunc("POST /users", c.user(c.addUser))
	mux.HandleFunc("POST /users/{id}/disable", c.user(c.disable))
	mux.HandleFunc("POST /fulfillments/{id}/ship", c.user(c.ship))
	mux.HandleFunc("POST /fulfillments/{id}/ready", c.user(c.ready))
	mux.HandleFunc("POST /fulfillments/{id}/pickup", c.user(c.collected))
	mux.HandleFunc("GET /{$}", c.user(c.homePage))
	mux.HandleFunc("GET /inventory", c.user(c.inventoryPage))
	mux.HandleFunc("GET /inventory/{sku}", c.user(c.itemPage))
	mux.HandleFunc("POST /inventory/{sku}/adjust", c.user(c.adjustStock))
	mux.HandleFunc("POST /inventory/{sku}/transfer", c.user(c.transferStock))
	mux.HandleFunc("GET /supply", c.user(c.supplyPage))
	mux.HandleFunc("POST /supply", c.user(c.addSupply))
	mux.HandleFunc("POST /supply/{id}/receive", c.user(c.receive))
	mux.HandleFunc("GET /fulfillment", c.user(c.fulfillmentPage))
	mux.HandleFunc("POST /fulfillment/{id}/{move}", c.user(c.fulfillmentMove))
	mux.HandleFunc("GET /customers", c.user(c.customersPage))
	mux.HandleFunc("GET /customers/{id}", c.user(c.customerPage))
	mux.HandleFunc("POST /customers/{id}/notes", c.user(c.customerNote))
	mux.HandleFunc("POST /customers/{id}/cases", c.user(c.customerCase))
	mux.HandleFunc("GET /cases", c.user(c.casesPage))
	mux.HandleFunc("GET /cases/{number}", c.user(c.casePage))
	mux.HandleFunc("POST /cases/{number}/messages", c.user(c.caseReply))
	mux.HandleFunc("POST /cases/{number}", c.user(c.caseUpdate))
	mux.HandleFunc("GET /returns", c.user(c.returnsPage))
	mux.HandleFunc("GET /returns/{id}", c.user(c.returnPage))
	mux.HandleFunc("POST /returns/{id}/{move}", c.user(c.returnMove))
	mux.HandleFunc("GET /orders/{number}/return", c.user(c.newReturnPage))
	mux.HandleFunc("POST /orders/{number}/return", c.user(c.createReturnForm))
	mux.HandleFunc("POST /orders/{number}/return-link", c.user(c.returnLink))
	mux.HandleFunc("GET /reports", c.user(c.reportsPage))
	mux.HandleFunc("GET /reports/{name}", c.user(c.reportPage))
	mux.HandleFunc("GET /reports/{name}/csv", c.user(c.reportCSV))
	mux.HandleFunc("GET /orders/{number}/edit", c.user(c.editPage))
	mux.HandleFunc("POST /orders/{number}/edit", c.user(c.editOrder))
	mux.HandleFunc("POST /orders/{number}/refund", c.user(c.refund))
	mux.HandleFunc("POST /orders/{number}/source", c.user(c.resource))
	mux.HandleFunc("POST /fulfillment/close", c.user(c.closeDay))
	mux.HandleFunc("GET /return/{token}", c.portalPage)
	mux.HandleFunc("POST /return/{token}", c.portalSubmit)
	c.settingsRoutes(mux)
	mux.HandleFunc("/", c.user(func(w http.ResponseWriter, r *http.Request, s oms.Session) {
		c.render(w, r, http.StatusNotFound, "error", page{Session: &s, Title: "Not found",
			Message: "There is no page at this address."})
	}))
	return mux
}

// ServeHTTP serves a console request, with the headers every page gets.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	c.mux.ServeHTTP(w, r)
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int64(d/time.Second)))
		h.ServeHTTP(w, r)
	})
}
