package store

import "time"

// WaitKeyUseForTest waits until the uses of keys noted so far are written.
func WaitKeyUseForTest(db *DB) {
	u := &db.cache.keyUse
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
