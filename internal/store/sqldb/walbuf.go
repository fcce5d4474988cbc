package sqldb

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite writes each page of a commit to the write-ahead log with two
// system calls, one for the frame's 24-byte header and one for the page,
// and then syncs the log. At a few hundred pages a commit those calls were
// a fifth of the SQLite writer's CPU. The writer's connection therefore
// opens its files through walBufVFSName, SQLite's own unix VFS with one
// change: writes to a write-ahead log that follow each other are gathered
// in memory and reach the file as one write (in pieces the unix VFS
// takes), before the log is synced, read, sized, truncated, closed or
// controlled, and before the connection releases the log's write lock. So
// a commit becomes one write and the sync it always had.
//
// Nothing acknowledged depends on the buffer: SQLite makes a commit
// visible to other connections and returns it only after it has synced the
// log, and the sync writes the buffer first. That holds only with
// synchronous=FULL, which syncs the log at every commit; with NORMAL,
// frames become visible to readers without a sync, so a writer opened with
// NORMAL uses the unix VFS as it is.
const (
	walBufVFSName = "oms-walbuf"
	walBufSize    = 4 << 20   // bytes gathered at most before a write
	walBufPiece   = 124 << 10 // bytes a write at most
)

// walBufFile is what the VFS keeps of one open write-ahead log: its
// methods as the unix VFS made them, and the bytes gathered for the file
// from off on.
type walBufFile struct {
	methods uintptr // the unix VFS's *sqlite3_io_methods for the file
	db      string  // the database's file name
	buf     uintptr // walBufSize bytes of SQLite's heap, 0 until the first write
	off     int64
	n       int32
}

// walBufDB is what the VFS keeps of one open database file.
type walBufDB struct {
	methods uintptr // the unix VFS's *sqlite3_io_methods for the file
	name    string
}

// walWriteLock is the slot of the WAL index's write lock (WAL_WRITE_LOCK).
const walWriteLock = 0

var (
	walBufOnce  sync.Once
	walBufErr   error
	walBufUnix  uintptr // the unix VFS, *sqlite3_vfs
	walBufMu    sync.Mutex
	walBufFiles = map[uintptr]*walBufFile{} // the open logs, by sqlite3_file
	walBufDBs   = map[uintptr]walBufDB{}    // the open databases, by sqlite3_file
	walBufLogIO = map[uintptr]uintptr{}     // the unix methods → the same with a log's wrapped in
	walBufDBIO  = map[uintptr]uintptr{}     // the unix methods → the same with a database's wrapped in

	// walBufWrites counts the writes that reached a log's file, for tests;
	// walBufBytes the bytes SQLite wrote to the logs, walBufSyncs their syncs
	// (one a commit), for LogWritten.
	walBufWrites, walBufBytes, walBufSyncs atomic.Int64
)

// registerWalBufVFS registers the VFS named walBufVFSName once, and says
// whether it could.
func registerWalBufVFS() error {
	walBufOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		walBufUnix = sqlite3.Xsqlite3_vfs_find(tls, 0)
		if walBufUnix == 0 {
			walBufErr = fmt.Errorf("sqlite has no default VFS")
			return
		}
		name, err := libc.CString(walBufVFSName)
		if err != nil {
			walBufErr = err
			return
		}
		v := libc.Xmalloc(tls, libc.Tsize_t(unsafe.Sizeof(sqlite3.Tsqlite3_vfs{})))
		if v == 0 {
			walBufErr = fmt.Errorf("allocate the VFS")
			return
		}
		vfs := at[sqlite3.Tsqlite3_vfs](v)
		*vfs = *at[sqlite3.Tsqlite3_vfs](walBufUnix)
		vfs.FpNext, vfs.FzName = 0, name
		*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&vfs.FxOpen)) = walBufOpen
		if rc := sqlite3.Xsqlite3_vfs_register(tls, v, 0); rc != sqlite3.SQLITE_OK {
			walBufErr = fmt.Errorf("register the VFS: sqlite error %d", rc)
		}
	})
	return walBufErr
}

// walBufOpen opens a file as the unix VFS does and puts this VFS's
// methods in place of the unix ones: most of them for a write-ahead log,
// and for a database the two that tell when its connection lets go of the
// log.
func walBufOpen(tls *libc.TLS, _ uintptr, zName uintptr, pFile uintptr, flags int32, pOutFlags uintptr) int32 {
	unix := at[sqlite3.Tsqlite3_vfs](walBufUnix)
	rc := (*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&unix.FxOpen)))(tls, walBufUnix, zName, pFile, flags, pOutFlags)
	f := at[sqlite3.Tsqlite3_file](pFile)
	if rc != sqlite3.SQLITE_OK || f.FpMethods == 0 || zName == 0 {
		return rc
	}
	name := libc.GoString(zName)
	walBufMu.Lock()
	defer walBufMu.Unlock()
	switch {
	case flags&sqlite3.SQLITE_OPEN_WAL != 0:
		io := walBufMethods(tls, walBufLogIO, f.FpMethods, func(m *sqlite3.Tsqlite3_io_methods) {
			*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)) = walBufClose
			*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxRead)) = walBufRead
			*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxWrite)) = walBufWrite
			*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&m.FxTruncate)) = walBufTruncate
			*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&m.FxSync)) = walBufSync
			*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&m.FxFileSize)) = walBufFileSize
			*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&m.FxFileControl)) = walBufFileControl
		})
		if io != 0 {
			walBufFiles[pFile] = &walBufFile{methods: f.FpMethods, db: strings.TrimSuffix(name, "-wal")}
			f.FpMethods = io
		}
	case flags&sqlite3.SQLITE_OPEN_MAIN_DB != 0:
		io := walBufMethods(tls, walBufDBIO, f.FpMethods, func(m *sqlite3.Tsqlite3_io_methods) {
			*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)) = walBufDBClose
			*(*func(*libc.TLS, uintptr, int32, int32, int32) int32)(unsafe.Pointer(&m.FxShmLock)) = walBufShmLock
		})
		if io != 0 {
			walBufDBs[pFile] = walBufDB{methods: f.FpMethods, name: name}
			f.FpMethods = io
		}
	}
	return rc
}

// walBufMethods returns the unix methods with wrap's changes, made once
// for each set of unix methods and kept in made; 0 when SQLite's heap has
// no room, and the file goes on with the unix methods. The lock is held.
func walBufMethods(tls *libc.TLS, made map[uintptr]uintptr, unix uintptr, wrap func(*sqlite3.Tsqlite3_io_methods)) uintptr {
	if io, ok := made[unix]; ok {
		return io
	}
	io := libc.Xmalloc(tls, libc.Tsize_t(unsafe.Sizeof(sqlite3.Tsqlite3_io_methods{})))
	if io == 0 {
		return 0
	}
	m := at[sqlite3.Tsqlite3_io_methods](io)
	*m = *at[sqlite3.Tsqlite3_io_methods](unix)
	wrap(m)
	made[unix] = io
	return io
}

// walBufShmLock takes or releases locks on the database's shared WAL
// index. Before its connection releases the log's write lock, every write
// it gathered goes to the file. After a commit there are none (the sync
// wrote them); after a rollback there can be frames the transaction spilled,
// and once another connection holds the lock it writes the log from the
// same place on, so the spilled frames must not reach the file later.
func walBufShmLock(tls *libc.TLS, pFile uintptr, ofst, n, flags int32) int32 {
	walBufMu.Lock()
	d := walBufDBs[pFile]
	rc := int32(sqlite3.SQLITE_OK)
	if flags == sqlite3.SQLITE_SHM_UNLOCK|sqlite3.SQLITE_SHM_EXCLUSIVE && ofst <= walWriteLock && walWriteLock < ofst+n {
		for pWal, w := range walBufFiles {
			if w.db == d.name && w.n > 0 {
				if frc := w.flush(tls, pWal); rc == sqlite3.SQLITE_OK {
					rc = frc
				}
			}
		}
	}
	walBufMu.Unlock()
	m := at[sqlite3.Tsqlite3_io_methods](d.methods)
	if lrc := (*(*func(*libc.TLS, uintptr, int32, int32, int32) int32)(unsafe.Pointer(&m.FxShmLock)))(tls, pFile, ofst, n, flags); rc == sqlite3.SQLITE_OK {
		rc = lrc
	}
	return rc
}

func walBufDBClose(tls *libc.TLS, pFile uintptr) int32 {
	walBufMu.Lock()
	d := walBufDBs[pFile]
	delete(walBufDBs, pFile)
	walBufMu.Unlock()
	m := at[sqlite3.Tsqlite3_io_methods](d.methods)
	return (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)))(tls, pFile)
}

// LogWritten returns the bytes SQLite has written to write-ahead logs
// through the writer's VFS in this process, and how many times it synced
// them (once a commit, and once a log started again): what the process's
// SQLite writers wrote, for measuring a piece of work by the difference.
// ok is false where the writer does not count (PostgreSQL, or SQLite with
// synchronous=NORMAL).
func (db *DB) LogWritten() (bytes, syncs int64, ok bool) {
	if !db.logCounted {
		return 0, 0, false
	}
	return walBufBytes.Load(), walBufSyncs.Load(), true
}

// walBufOf returns the file's state and the unix methods, the lock held;
// the caller unlocks.
func walBufOf(pFile uintptr) (*walBufFile, *sqlite3.Tsqlite3_io_methods) {
	walBufMu.Lock()
	w := walBufFiles[pFile]
	return w, w.unix()
}

// unix is the file's methods as the unix VFS made them.
func (w *walBufFile) unix() *sqlite3.Tsqlite3_io_methods {
	return at[sqlite3.Tsqlite3_io_methods](w.methods)
}

// flush writes what was gathered for the file; the lock is held. The unix
// VFS writes at most 128 KiB - 1 bytes a call (it masks the count), so the
// buffer goes in pieces of walBufPiece.
func (w *walBufFile) flush(tls *libc.TLS, pFile uintptr) int32 {
	m := w.unix()
	n, off, p := w.n, w.off, w.buf
	w.n = 0 // what failed to reach the file is not tried again
	for n > 0 {
		k := min(n, walBufPiece)
		walBufWrites.Add(1)
		if rc := (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxWrite)))(tls, pFile, p, k, off); rc != sqlite3.SQLITE_OK {
			return rc
		}
		n, off, p = n-k, off+int64(k), p+uintptr(k)
	}
	return sqlite3.SQLITE_OK
}

func walBufWrite(tls *libc.TLS, pFile uintptr, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	walBufBytes.Add(int64(iAmt))
	w, m := walBufOf(pFile)
	defer walBufMu.Unlock()
	if w.n > 0 && iOfst == w.off+int64(w.n) && w.n+iAmt <= walBufSize {
		libc.Xmemcpy(tls, w.buf+uintptr(w.n), zBuf, libc.Tsize_t(iAmt))
		w.n += iAmt
		return sqlite3.SQLITE_OK
	}
	if rc := w.flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	if w.buf == 0 {
		w.buf = libc.Xmalloc(tls, walBufSize)
	}
	if w.buf == 0 || iAmt > walBufPiece {
		walBufWrites.Add(1)
		return (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxWrite)))(tls, pFile, zBuf, iAmt, iOfst)
	}
	libc.Xmemcpy(tls, w.buf, zBuf, libc.Tsize_t(iAmt))
	w.off, w.n = iOfst, iAmt
	return sqlite3.SQLITE_OK
}

// walBufFlushed writes what was gathered for the file and then makes the
// unix VFS's call, the lock held throughout: how every method but the
// write and the close reaches the file.
func walBufFlushed(tls *libc.TLS, pFile uintptr, call func(m *sqlite3.Tsqlite3_io_methods) int32) int32 {
	w, m := walBufOf(pFile)
	defer walBufMu.Unlock()
	if rc := w.flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	return call(m)
}

func walBufRead(tls *libc.TLS, pFile uintptr, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	return walBufFlushed(tls, pFile, func(m *sqlite3.Tsqlite3_io_methods) int32 {
		return (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxRead)))(tls, pFile, zBuf, iAmt, iOfst)
	})
}

func walBufTruncate(tls *libc.TLS, pFile uintptr, size int64) int32 {
	return walBufFlushed(tls, pFile, func(m *sqlite3.Tsqlite3_io_methods) int32 {
		return (*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&m.FxTruncate)))(tls, pFile, size)
	})
}

func walBufSync(tls *libc.TLS, pFile uintptr, flags int32) int32 {
	walBufSyncs.Add(1)
	return walBufFlushed(tls, pFile, func(m *sqlite3.Tsqlite3_io_methods) int32 {
		return (*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&m.FxSync)))(tls, pFile, flags)
	})
}

func walBufFileSize(tls *libc.TLS, pFile uintptr, pSize uintptr) int32 {
	return walBufFlushed(tls, pFile, func(m *sqlite3.Tsqlite3_io_methods) int32 {
		return (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&m.FxFileSize)))(tls, pFile, pSize)
	})
}

func walBufFileControl(tls *libc.TLS, pFile uintptr, op int32, pArg uintptr) int32 {
	return walBufFlushed(tls, pFile, func(m *sqlite3.Tsqlite3_io_methods) int32 {
		return (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&m.FxFileControl)))(tls, pFile, op, pArg)
	})
}

func walBufClose(tls *libc.TLS, pFile uintptr) int32 {
	w, m := walBufOf(pFile)
	rc := w.flush(tls, pFile)
	if w.buf != 0 {
		libc.Xfree(tls, w.buf)
	}
	delete(walBufFiles, pFile)
	walBufMu.Unlock()
	if crc := (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)))(tls, pFile); rc == sqlite3.SQLITE_OK {
		rc = crc
	}
	return rc
}

// at is the address p in SQLite's heap as a pointer to the T there.
func at[T any](p uintptr) *T { return *(**T)(unsafe.Pointer(&p)) }
