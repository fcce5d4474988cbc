package catalog

import (
	"context"
	"sync"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/channels"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Cache remembers what every order placement looks up and what rarely
// changes: item ids, which never change once given; channel settings, for
// channelTTL; locations as sourcing sees them, for siteTTL; whether any
// postal centroids are loaded (checked API keys are cached by package
// keys). Stock is never cached: it is read and locked in the transaction
// that changes it. The store holds it and reads it in placement's
// transaction; the catalog drops what this process changes. The zero
// Cache is empty and ready.
type Cache struct {
	items     sync.Map // SKU → ItemRef
	mu        sync.Mutex
	channels  map[string]ChannelRef
	sites     []SiteRef // every location, by id
	sitesAt   time.Time // when sites was loaded; zero when it must be
	centroids sqldb.Cached[bool]
}

// channelTTL bounds how long a channel's currency and backorder policy may be
// served from memory; another server's change is seen within it.
const channelTTL = time.Second

// ChannelRef is what order placement needs to know of a channel.
type ChannelRef struct {
	ID       int64
	Code     string
	Currency string
	Policy   oms.BackorderPolicy
	NoSplit  int64
	loaded   time.Time
}

// ChannelOf returns the draft's channel, read in tx when not cached, or
// EINVALID when it does not exist or its currency is not the draft's.
func (c *Cache) ChannelOf(ctx context.Context, tx *sqldb.Tx, d *oms.OrderDraft) (ChannelRef, error) {
	c.mu.Lock()
	ch, ok := c.channels[d.Channel]
	c.mu.Unlock()
	if !ok || time.Since(ch.loaded) > channelTTL {
		full, id, err := channels.ByCode(ctx, tx, d.Channel)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return ch, oms.Invalid("channel", "no channel has code %q", d.Channel)
		} else if err != nil {
			return ch, err
		}
		ch = ChannelRef{ID: id, Code: full.Code, Currency: full.Currency, Policy: full.BackorderPolicy,
			NoSplit: full.NoSplitBelow, loaded: time.Now()}
		c.mu.Lock()
		if c.channels == nil {
			c.channels = make(map[string]ChannelRef)
		}
		c.channels[d.Channel] = ch
		c.mu.Unlock()
	}
	if d.Currency != ch.Currency && !d.ForeignCurrency {
		return ch, oms.Invalid("currency", "must be %s, the currency of channel %s", ch.Currency, ch.Code)
	}
	return ch, nil
}

// ForgetChannel drops a channel from the cache after this process changed
// it.
func (c *Cache) ForgetChannel(code string) {
	c.mu.Lock()
	delete(c.channels, code)
	c.mu.Unlock()
}

// forgetSites drops the locations from the cache after this process changed
// one.
func (c *Cache) forgetSites() {
	c.mu.Lock()
	c.sites, c.sitesAt = nil, time.Time{}
	c.mu.Unlock()
}
