package store

import "database/sql"

// RawForTest exposes the write pool so that tests can break invariants behind
// the store's back.
func RawForTest(db *DB) *sql.DB { return db.write }
