package store

import (
	"context"
	"sync"
	"time"

	"github.com/omshq/oms"
)

// catalogCache remembers what every request looks up and what rarely
// changes: item ids, which never change once given; channel settings, for
// channelTTL; locations as sourcing sees them, for siteTTL (checked API
// keys are cached by package keys). Stock is never cached: it is read and
// locked in the transaction that changes it.
type catalogCache struct {
	items    sync.Map // SKU → itemRef
	mu       sync.Mutex
	channels map[string]channelInfo
	sites    []siteRef // every location, by id
	sitesAt  time.Time // when sites was loaded; zero when it must be
}

// channelTTL bounds how long a channel's currency and backorder policy may be
// served from memory; another server's change is seen within it.
const channelTTL = time.Second

type channelInfo struct {
	id       int64
	code     string
	currency string
	policy   oms.BackorderPolicy
	noSplit  int64
	loaded   time.Time
}

// channelOf returns the draft's channel, or EINVALID when it does not exist or
// its currency is not the draft's.
func (tx *Tx) channelOf(ctx context.Context, d *oms.OrderDraft) (channelInfo, error) {
	c := &tx.db.cache
	c.mu.Lock()
	ch, ok := c.channels[d.Channel]
	c.mu.Unlock()
	if !ok || time.Since(ch.loaded) > channelTTL {
		full, id, err := tx.channel(ctx, d.Channel)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			return ch, oms.Invalid("channel", "no channel has code %q", d.Channel)
		} else if err != nil {
			return ch, err
		}
		ch = channelInfo{id: id, code: full.Code, currency: full.Currency, policy: full.BackorderPolicy,
			noSplit: full.NoSplitBelow, loaded: time.Now()}
		c.mu.Lock()
		if c.channels == nil {
			c.channels = make(map[string]channelInfo)
		}
		c.channels[d.Channel] = ch
		c.mu.Unlock()
	}
	if d.Currency != ch.currency && !d.ForeignCurrency {
		return ch, oms.Invalid("currency", "must be %s, the currency of channel %s", ch.currency, ch.code)
	}
	return ch, nil
}

// forgetChannel drops a channel from the cache after this process changed it.
func (c *catalogCache) forgetChannel(code string) {
	c.mu.Lock()
	delete(c.channels, code)
	c.mu.Unlock()
}

// forgetSites drops the locations from the cache after this process changed
// one.
func (c *catalogCache) forgetSites() {
	c.mu.Lock()
	c.sites, c.sitesAt = nil, time.Time{}
	c.mu.Unlock()
}
