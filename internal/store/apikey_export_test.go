package store

// WaitKeyUseForTest waits until the uses of keys noted so far are written.
func WaitKeyUseForTest(db *DB) { db.Keyring.WaitUses() }
