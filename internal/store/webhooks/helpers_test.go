package webhooks_test

import (
	"context"
	"database/sql"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/storetest"
)

var ctx = context.Background()

// must is the shared fixture's (storetest.Must).
var must = storetest.Must

// rawOf is the store's writer pool (store.DB.JobPool), for tests that write
// behind the store's back: events as a change's transaction writes them, a
// transaction that commits late.
func rawOf(db *store.DB) *sql.DB {
	pool, _, _ := db.JobPool()
	return pool
}
