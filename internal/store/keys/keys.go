// Package keys keeps the API keys: created with a role and maybe bound to
// channels or locations, stored hashed, checked on every request through a
// cache that every server drops within a moment of a revocation or
// rotation, rotated with an overlap, revoked, and their last use recorded
// off the request's path. It implements oms.Keys on the engine seam
// (sqldb).
package keys

import (
	"sync"
	"time"

	"github.com/omshq/oms/internal/store/sqldb"
)

// Keyring is the API keys of a database, with this process's cache of the
// keys it checked.
type Keyring struct {
	db       *sqldb.DB
	keys     sync.Map // API key hash → cachedKey
	keyWatch keyWatch // when to drop the cached keys
	keyUse   keyUse   // the keys' last uses, to record
}

// New returns the API keys of db.
func New(db *sqldb.DB) *Keyring { return &Keyring{db: db} }

// Close stops recording the keys' uses.
func (r *Keyring) Close() { r.keyUse.close() }

// WaitUses waits until the uses of keys noted so far are written.
func (r *Keyring) WaitUses() {
	u := &r.keyUse
	for {
		u.mu.Lock()
		writing := u.writing
		u.mu.Unlock()
		if !writing {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
