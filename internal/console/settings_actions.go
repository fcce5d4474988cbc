package console

import (
	"context"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
)

// The Settings screens' calls into the store, each the call the API's
// handler for the operation makes (internal/httpapi), with the signed-in
// user's principal.

// storeSettings reads the store's name and what else customers see.
func (c *Console) storeSettings(ctx context.Context) (oms.StoreSettings, error) {
	return c.svc.Admin.StoreSettings(ctx)
}

// putStoreSettings saves the store's name.
func (c *Console) putStoreSettings(ctx context.Context, u oms.User, st oms.StoreSettings) error {
	return c.svc.Admin.PutStoreSettings(ctx, st, u.Principal())
}

// channel is GET /v1/channels/{code}.
func (c *Console) channel(ctx context.Context, code string) (*oms.Channel, error) {
	return c.svc.Channels.Channel(ctx, code)
}

// putChannel is PUT /v1/channels/{code}: the channel checked as the API
// checks it, then saved.
func (c *Console) putChannel(ctx context.Context, u oms.User, ch *oms.Channel) (bool, error) {
	if err := ch.Validate(); err != nil {
		return false, err
	}
	return c.svc.Channels.PutChannel(ctx, ch, u.Principal())
}

// skuMappings is GET /v1/channels/{code}/sku-mappings.
func (c *Console) skuMappings(ctx context.Context, code string) ([]oms.SKUMapping, error) {
	return c.svc.Channels.SKUMappings(ctx, code)
}

// putSKUMapping is PUT /v1/channels/{code}/sku-mappings/{listing_sku}.
func (c *Console) putSKUMapping(ctx context.Context, u oms.User, m oms.SKUMapping) error {
	return c.svc.Channels.PutSKUMapping(ctx, m, u.Principal())
}

// deleteSKUMapping is DELETE /v1/channels/{code}/sku-mappings/{listing_sku}.
func (c *Console) deleteSKUMapping(ctx context.Context, u oms.User, channel, listing string) error {
	return c.svc.Channels.DeleteSKUMapping(ctx, channel, listing, u.Principal())
}

// putLocation is PUT /v1/locations/{code}.
func (c *Console) putLocation(ctx context.Context, u oms.User, l *oms.Location) (bool, error) {
	if err := l.Validate(); err != nil {
		return false, err
	}
	return c.svc.Inventory.PutLocation(ctx, l, u.Principal())
}

// location is GET /v1/locations/{code}.
func (c *Console) location(ctx context.Context, code string) (*oms.Location, error) {
	return c.svc.Inventory.Location(ctx, code)
}

// taxRules is GET /v1/tax-rules.
func (c *Console) taxRules(ctx context.Context) ([]oms.TaxRule, error) {
	return c.svc.Admin.TaxRules(ctx)
}

// putTaxRule is PUT /v1/tax-rules/{key}.
func (c *Console) putTaxRule(ctx context.Context, u oms.User, r *oms.TaxRule) error {
	_, err := c.svc.Admin.PutTaxRule(ctx, r, u.Principal())
	return err
}

// deleteTaxRule is DELETE /v1/tax-rules/{key}.
func (c *Console) deleteTaxRule(ctx context.Context, u oms.User, key string) error {
	return c.svc.Admin.DeleteTaxRule(ctx, key, u.Principal())
}

// fxRates is the exchange rates' service, or ENOTFOUND when the console was
// started without one.
func (c *Console) fxRates() (FXRates, error) {
	if c.opt.FX == nil {
		return nil, oms.Errorf(oms.ENOTFOUND, "exchange rates are not served here")
	}
	return c.opt.FX, nil
}

// importRates is POST /v1/fx-rates: an ECB reference-rate document.
func (c *Console) importRates(ctx context.Context, u oms.User, rates []fx.Rate) (oms.FXImport, error) {
	f, err := c.fxRates()
	if err != nil {
		return oms.FXImport{}, err
	}
	return f.ImportRates(ctx, rates, u.Principal())
}

// ratesOn is GET /v1/fx-rates?date=.
func (c *Console) ratesOn(ctx context.Context, day time.Time) (fx.RateSet, error) {
	f, err := c.fxRates()
	if err != nil {
		return fx.RateSet{}, err
	}
	return f.RatesOn(ctx, day)
}

// screening is GET /v1/settings/screening.
func (c *Console) screening(ctx context.Context) (oms.Screening, error) {
	return c.svc.Holds.Screening(ctx)
}

// putScreening is PUT /v1/settings/screening.
func (c *Console) putScreening(ctx context.Context, u oms.User, sc oms.Screening) error {
	return c.svc.Holds.PutScreening(ctx, sc, u.Principal())
}

// putReturnSettings is PUT /v1/settings/returns.
func (c *Console) putReturnSettings(ctx context.Context, u oms.User, rs oms.ReturnSettings) error {
	return c.svc.Returns.PutReturnSettings(ctx, rs, u.Principal())
}

// apiKeys is GET /v1/api-keys: the live keys, newest first, up to limit.
func (c *Console) apiKeys(ctx context.Context, limit int) ([]oms.APIKey, error) {
	ks, _, err := c.svc.Keys.ListAPIKeys(ctx, "", limit)
	return ks, err
}

// createAPIKey is POST /v1/api-keys: the key, and its secret to show once.
func (c *Console) createAPIKey(ctx context.Context, u oms.User, name string, role oms.Role, scope oms.KeyScope) (oms.APIKey, string, error) {
	return c.svc.Keys.CreateAPIKey(ctx, name, role, u.Principal(), scope)
}

// revokeAPIKey is DELETE /v1/api-keys/{id}.
func (c *Console) revokeAPIKey(ctx context.Context, u oms.User, id string) error {
	return c.svc.Keys.RevokeAPIKey(ctx, id, u.Principal())
}

// webhookEndpoints is GET /v1/webhook-endpoints, up to limit.
func (c *Console) webhookEndpoints(ctx context.Context, limit int) ([]oms.WebhookEndpoint, error) {
	es, _, err := c.svc.Webhooks.WebhookEndpoints(ctx, "", limit)
	return es, err
}

// webhookEndpoint is GET /v1/webhook-endpoints/{id}.
func (c *Console) webhookEndpoint(ctx context.Context, id string) (oms.WebhookEndpoint, error) {
	return c.svc.Webhooks.WebhookEndpoint(ctx, id)
}

// createWebhookEndpoint is POST /v1/webhook-endpoints: the endpoint and
// its secret, to show once.
func (c *Console) createWebhookEndpoint(ctx context.Context, u oms.User, in oms.WebhookEndpointInput) (oms.WebhookEndpoint, string, error) {
	in.AllowPrivate = c.opt.WebhooksAllowPrivate
	return c.svc.Webhooks.CreateWebhookEndpoint(ctx, in, u.Principal())
}

// updateWebhookEndpoint is PATCH /v1/webhook-endpoints/{id}.
func (c *Console) updateWebhookEndpoint(ctx context.Context, u oms.User, id string, in oms.WebhookEndpointInput) error {
	in.AllowPrivate = c.opt.WebhooksAllowPrivate
	_, err := c.svc.Webhooks.UpdateWebhookEndpoint(ctx, id, in, u.Principal())
	return err
}

// deleteWebhookEndpoint is DELETE /v1/webhook-endpoints/{id}.
func (c *Console) deleteWebhookEndpoint(ctx context.Context, u oms.User, id string) error {
	return c.svc.Webhooks.DeleteWebhookEndpoint(ctx, id, u.Principal())
}

// webhookDeliveries is GET /v1/webhook-endpoints/{id}/deliveries: a page
// of the log, newest first, before the cursor (0: from the newest), and
// the cursor of the next page (0 on the last).
func (c *Console) webhookDeliveries(ctx context.Context, id, status string, before int64, limit int) ([]oms.WebhookDelivery, int64, error) {
	return c.svc.Webhooks.WebhookDeliveries(ctx, id, status, before, limit)
}

// retryWebhookDelivery is POST /v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry.
func (c *Console) retryWebhookDelivery(ctx context.Context, id, delivery string) error {
	_, err := c.svc.Webhooks.RetryWebhookDelivery(ctx, id, delivery)
	return err
}

// rotationOverlap is how long a replaced secret keeps working after a
// rotation made here: the API's default for keys and webhook secrets.
const rotationOverlap = oms.DefaultKeyOverlap

// rotateAPIKey is POST /v1/api-keys/{id}/rotate with the default overlap:
// the key, and its new secret to show once.
func (c *Console) rotateAPIKey(ctx context.Context, u oms.User, id string) (oms.APIKey, string, error) {
	return c.svc.Keys.RotateAPIKey(ctx, id, rotationOverlap, u.Principal())
}

// rotateWebhookSecret is POST /v1/webhook-endpoints/{id}/rotate-secret with
// the default overlap: the endpoint, and its new secret to show once.
func (c *Console) rotateWebhookSecret(ctx context.Context, u oms.User, id string) (oms.WebhookEndpoint, string, error) {
	return c.svc.Webhooks.RotateWebhookSecret(ctx, id, rotationOverlap, u.Principal())
}
