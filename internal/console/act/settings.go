package act

import (
	"context"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
)

// The Settings screens' calls: the store's settings, channels and their SKU
// mappings, locations, tax rules, exchange rates, screening, returns
// settings, API keys and webhook endpoints.

// StoreSettings reads the store's name and what else customers see.
func (c *Service) StoreSettings(ctx context.Context) (oms.StoreSettings, error) {
	return c.svc.Admin.StoreSettings(ctx)
}

// PutStoreSettings saves the store's name.
func (c *Service) PutStoreSettings(ctx context.Context, u oms.User, st oms.StoreSettings) error {
	return c.svc.Admin.PutStoreSettings(ctx, st, u.Principal())
}

// Channel is GET /v1/channels/{code}.
func (c *Service) Channel(ctx context.Context, code string) (*oms.Channel, error) {
	return c.svc.Channels.Channel(ctx, code)
}

// PutChannel is PUT /v1/channels/{code}: the channel checked as the API
// checks it, then saved.
func (c *Service) PutChannel(ctx context.Context, u oms.User, ch *oms.Channel) (bool, error) {
	if err := ch.Validate(); err != nil {
		return false, err
	}
	return c.svc.Channels.PutChannel(ctx, ch, u.Principal())
}

// SkuMappings is GET /v1/channels/{code}/sku-mappings.
func (c *Service) SkuMappings(ctx context.Context, code string) ([]oms.SKUMapping, error) {
	return c.svc.Channels.SKUMappings(ctx, code)
}

// PutSKUMapping is PUT /v1/channels/{code}/sku-mappings/{listing_sku}.
func (c *Service) PutSKUMapping(ctx context.Context, u oms.User, m oms.SKUMapping) error {
	return c.svc.Channels.PutSKUMapping(ctx, m, u.Principal())
}

// DeleteSKUMapping is DELETE /v1/channels/{code}/sku-mappings/{listing_sku}.
func (c *Service) DeleteSKUMapping(ctx context.Context, u oms.User, channel, listing string) error {
	return c.svc.Channels.DeleteSKUMapping(ctx, channel, listing, u.Principal())
}

// PutLocation is PUT /v1/locations/{code}.
func (c *Service) PutLocation(ctx context.Context, u oms.User, l *oms.Location) (bool, error) {
	if err := l.Validate(); err != nil {
		return false, err
	}
	return c.svc.Inventory.PutLocation(ctx, l, u.Principal())
}

// Location is GET /v1/locations/{code}.
func (c *Service) Location(ctx context.Context, code string) (*oms.Location, error) {
	return c.svc.Inventory.Location(ctx, code)
}

// TaxRules is GET /v1/tax-rules.
func (c *Service) TaxRules(ctx context.Context) ([]oms.TaxRule, error) {
	return c.svc.Admin.TaxRules(ctx)
}

// PutTaxRule is PUT /v1/tax-rules/{key}.
func (c *Service) PutTaxRule(ctx context.Context, u oms.User, r *oms.TaxRule) error {
	_, err := c.svc.Admin.PutTaxRule(ctx, r, u.Principal())
	return err
}

// DeleteTaxRule is DELETE /v1/tax-rules/{key}.
func (c *Service) DeleteTaxRule(ctx context.Context, u oms.User, key string) error {
	return c.svc.Admin.DeleteTaxRule(ctx, key, u.Principal())
}

// fxRates is the exchange rates' service, or ENOTFOUND when the console was
// started without one.
func (c *Service) fxRates() (FXRates, error) {
	if c.opt.FX == nil {
		return nil, oms.Errorf(oms.ENOTFOUND, "exchange rates are not served here")
	}
	return c.opt.FX, nil
}

// ImportRates is POST /v1/fx-rates: an ECB reference-rate document.
func (c *Service) ImportRates(ctx context.Context, u oms.User, rates []fx.Rate) (oms.FXImport, error) {
	f, err := c.fxRates()
	if err != nil {
		return oms.FXImport{}, err
	}
	return f.ImportRates(ctx, rates, u.Principal())
}

// RatesOn is GET /v1/fx-rates?date=.
func (c *Service) RatesOn(ctx context.Context, day time.Time) (fx.RateSet, error) {
	f, err := c.fxRates()
	if err != nil {
		return fx.RateSet{}, err
	}
	return f.RatesOn(ctx, day)
}

// Screening is GET /v1/settings/screening.
func (c *Service) Screening(ctx context.Context) (oms.Screening, error) {
	return c.svc.Holds.Screening(ctx)
}

// PutScreening is PUT /v1/settings/screening.
func (c *Service) PutScreening(ctx context.Context, u oms.User, sc oms.Screening) error {
	return c.svc.Holds.PutScreening(ctx, sc, u.Principal())
}

// PutReturnSettings is PUT /v1/settings/returns.
func (c *Service) PutReturnSettings(ctx context.Context, u oms.User, rs oms.ReturnSettings) error {
	return c.svc.Returns.PutReturnSettings(ctx, rs, u.Principal())
}

// ApiKeys is GET /v1/api-keys: the live keys, newest first, up to limit.
func (c *Service) ApiKeys(ctx context.Context, limit int) ([]oms.APIKey, error) {
	ks, _, err := c.svc.Keys.ListAPIKeys(ctx, "", limit)
	return ks, err
}

// CreateAPIKey is POST /v1/api-keys: the key, and its secret to show once.
func (c *Service) CreateAPIKey(ctx context.Context, u oms.User, name string, role oms.Role, scope oms.KeyScope) (oms.APIKey, string, error) {
	return c.svc.Keys.CreateAPIKey(ctx, name, role, u.Principal(), scope)
}

// RevokeAPIKey is DELETE /v1/api-keys/{id}.
func (c *Service) RevokeAPIKey(ctx context.Context, u oms.User, id string) error {
	return c.svc.Keys.RevokeAPIKey(ctx, id, u.Principal())
}

// WebhookEndpoints is GET /v1/webhook-endpoints, up to limit.
func (c *Service) WebhookEndpoints(ctx context.Context, limit int) ([]oms.WebhookEndpoint, error) {
	es, _, err := c.svc.Webhooks.WebhookEndpoints(ctx, "", limit)
	return es, err
}

// WebhookEndpoint is GET /v1/webhook-endpoints/{id}.
func (c *Service) WebhookEndpoint(ctx context.Context, id string) (oms.WebhookEndpoint, error) {
	return c.svc.Webhooks.WebhookEndpoint(ctx, id)
}

// CreateWebhookEndpoint is POST /v1/webhook-endpoints: the endpoint and
// its secret, to show once.
func (c *Service) CreateWebhookEndpoint(ctx context.Context, u oms.User, in oms.WebhookEndpointInput) (oms.WebhookEndpoint, string, error) {
	in.AllowPrivate = c.opt.WebhooksAllowPrivate
	return c.svc.Webhooks.CreateWebhookEndpoint(ctx, in, u.Principal())
}

// UpdateWebhookEndpoint is PATCH /v1/webhook-endpoints/{id}.
func (c *Service) UpdateWebhookEndpoint(ctx context.Context, u oms.User, id string, in oms.WebhookEndpointInput) error {
	in.AllowPrivate = c.opt.WebhooksAllowPrivate
	_, err := c.svc.Webhooks.UpdateWebhookEndpoint(ctx, id, in, u.Principal())
	return err
}

// DeleteWebhookEndpoint is DELETE /v1/webhook-endpoints/{id}.
func (c *Service) DeleteWebhookEndpoint(ctx context.Context, u oms.User, id string) error {
	return c.svc.Webhooks.DeleteWebhookEndpoint(ctx, id, u.Principal())
}

// WebhookDeliveries is GET /v1/webhook-endpoints/{id}/deliveries: a page
// of the log, newest first, before the cursor (0: from the newest), and
// the cursor of the next page (0 on the last).
func (c *Service) WebhookDeliveries(ctx context.Context, id, status string, before int64, limit int) ([]oms.WebhookDelivery, int64, error) {
	return c.svc.Webhooks.WebhookDeliveries(ctx, id, status, before, limit)
}

// RetryWebhookDelivery is POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry.
func (c *Service) RetryWebhookDelivery(ctx context.Context, id, delivery string) error {
	_, err := c.svc.Webhooks.RetryWebhookDelivery(ctx, id, delivery)
	return err
}

// rotationOverlap is how long a replaced secret keeps working after a
// rotation made here: the API's default for keys and webhook secrets.
const rotationOverlap = oms.DefaultKeyOverlap

// RotateAPIKey is POST /v1/api-keys/{id}/rotate with the default overlap:
// the key, and its new secret to show once.
func (c *Service) RotateAPIKey(ctx context.Context, u oms.User, id string) (oms.APIKey, string, error) {
	return c.svc.Keys.RotateAPIKey(ctx, id, rotationOverlap, u.Principal())
}

// RotateWebhookSecret is POST /v1/webhook-endpoints/{id}/rotate-secret with
// the default overlap: the endpoint, and its new secret to show once.
func (c *Service) RotateWebhookSecret(ctx context.Context, u oms.User, id string) (oms.WebhookEndpoint, string, error) {
	return c.svc.Webhooks.RotateWebhookSecret(ctx, id, rotationOverlap, u.Principal())
}
