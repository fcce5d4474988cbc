package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/store/reports"
	"github.com/omshq/oms/internal/store/storetest"
)

// engineDifferences are the parts of the schema that differ between the
// engines on purpose, each with its reason. Anything else that differs fails
// TestSchemaParity.
var engineDifferences = map[string]string{
	// Full-text search: SQLite's FTS5 keeps an order's words in a virtual
	// table (and its shadow tables); PostgreSQL in a table with a tsvector
	// column and a GIN index over it.
	"column order_search.order_seq": "PostgreSQL's order words table (SQLite: an FTS5 virtual table, whose columns are not a schema's)",
	"column order_search.terms":     "PostgreSQL's order words table (SQLite: an FTS5 virtual table, whose columns are not a schema's)",
	"column order_search.doc":       "PostgreSQL's tsvector of the order's words",
	"index order_search (doc)":      "PostgreSQL's GIN index over the order's words",
	// Listing items by SKU sorts by bytes: SQLite's index on sku already does.
	`index items (sku) COLLATE "C"`: `PostgreSQL's index on sku COLLATE "C", for listing items in byte order whatever the database's collation`,
	// So does the availability feed's page of a channel's listing SKUs.
	`index sku_mappings (channel_id, listing_sku) COLLATE "C"`: `PostgreSQL's index on listing_sku COLLATE "C", for the availability feed's pages in byte order`,
}

// TestSchemaParity: the SQLite and PostgreSQL migrations make the same
// tables, columns (types compared by kind: integer, text, boolean, time,
// bytes, float), nullability, primary keys, unique and plain indexes,
// foreign keys and CHECK constraints — but for engineDifferences.
func TestSchemaParity(t *testing.T) {
	pg := storetest.PostgresDSN(t) // skips without PostgreSQL
	lite := describe(t, storetest.SQLiteDSN(t))
	post := describe(t, pg)
	used := make(map[string]bool)
	for _, d := range diffSchemas(lite, post) {
		if _, ok := engineDifferences[d.key]; ok {
			used[d.key] = true
			continue
		}
		t.Errorf("%s: %s", d.key, d.what)
	}
	for k := range engineDifferences {
		if !used[k] {
			t.Errorf("engineDifferences lists %q, which no longer differs: take it out", k)
		}
	}
}

// schema is what TestSchemaParity compares, as sets of lines per thing.
type schema map[string]string // key (table t, column t.c, index t (cols), fk t.c, checks t) → description

type difference struct{ key, what string }

func diffSchemas(lite, post schema) []difference {
	var out []difference
	keys := make(map[string]bool)
	for k := range lite {
		keys[k] = true
	}
	for k := range post {
		keys[k] = true
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		l, lok := lite[k]
		p, pok := post[k]
		switch {
		case !pok:
			out = append(out, difference{k, "only on SQLite (" + l + ")"})
		case !lok:
			out = append(out, difference{k, "only on PostgreSQL (" + p + ")"})
		case l != p:
			out = append(out, difference{k, fmt.Sprintf("SQLite %s, PostgreSQL %s", l, p)})
		}
	}
	return out
}

// describe migrates a new database on dsn to the newest version and reads
// its schema back.
func describe(t *testing.T, dsn string) schema {
	t.Helper()
	db, err := store.Open(ctx, dsn, store.Options{Feed: reports.New()})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	s := make(schema)
	if store.IsPostgres(dsn) {
		describePostgres(t, raw, s)
	} else {
		describeSQLite(t, raw, s)
	}
	return s
}

func describeSQLite(t *testing.T, db *sql.DB, s schema) {
	type table struct{ name, sql string }
	var tables []table
	queryRows(t, db, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name != 'goose_db_version' ORDER BY name`, func(r *sql.Rows) error {
		var tb table
		err := r.Scan(&tb.name, &tb.sql)
		tables = append(tables, tb)
		return err
	})
	virtual := make(map[string]bool)
	for _, tb := range tables {
		if strings.HasPrefix(strings.ToUpper(tb.sql), "CREATE VIRTUAL TABLE") {
			virtual[tb.name] = true
		}
	}
	for _, tb := range tables {
		if shadowOf(tb.name, virtual) {
			continue // FTS5's own tables
		}
		s["table "+tb.name] = "table"
		if virtual[tb.name] {
			continue
		}
		queryRows(t, db, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, func(r *sql.Rows) error {
			var name, typ string
			var notNull bool
			var inPK int
			err := r.Scan(&name, &typ, &notNull, &inPK)
			if inPK > 0 {
				notNull = true // SQLite reports an INTEGER PRIMARY KEY as nullable: it is the rowid
			}
			s["column "+tb.name+"."+name] = columnOf(typ, notNull, inPK > 0)
			return err
		}, tb.name)
		type index struct {
			name    string
			unique  bool
			origin  string
			partial bool
		}
		var idx []index
		queryRows(t, db, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, func(r *sql.Rows) error {
			var i index
			err := r.Scan(&i.name, &i.unique, &i.origin, &i.partial)
			idx = append(idx, i)
			return err
		}, tb.name)
		for _, i := range idx {
			if i.origin == "pk" {
				continue // the primary key, compared by its columns
			}
			var cols []string
			queryRows(t, db, `SELECT COALESCE(name, '<expr>') FROM pragma_index_info(?) ORDER BY seqno`, func(r *sql.Rows) error {
				var c string
				err := r.Scan(&c)
				cols = append(cols, c)
				return err
			}, i.name)
			s[indexKey(tb.name, cols)] = indexOf(i.unique, i.partial)
		}
		queryRows(t, db, `SELECT "table", "from", COALESCE("to", '') FROM pragma_foreign_key_list(?)`, func(r *sql.Rows) error {
			var ref, from, to string
			err := r.Scan(&ref, &from, &to)
			s["foreign key "+tb.name+"."+from] = "references " + ref + "." + to
			return err
		}, tb.name)
		if n := len(regexp.MustCompile(`(?i)\bCHECK\s*\(`).FindAllString(tb.sql, -1)); n > 0 {
			s["checks "+tb.name] = fmt.Sprintf("%d CHECK constraints", n)
		}
	}
}

// shadowOf reports whether name is a shadow table of one of the virtual
// tables (FTS5 keeps name_data, name_idx, name_content, name_docsize,
// name_config).
func shadowOf(name string, virtual map[string]bool) bool {
	for v := range virtual {
		if strings.HasPrefix(name, v+"_") {
			return true
		}
	}
	return false
}

func describePostgres(t *testing.T, db *sql.DB, s schema) {
	queryRows(t, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name != 'goose_db_version'`, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		s["table "+name] = "table"
		return err
	})
	pk := make(map[string]bool)
	queryRows(t, db, `SELECT c.relname, a.attname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
		WHERE n.nspname = current_schema() AND i.indisprimary`, func(r *sql.Rows) error {
		var tb, col string
		err := r.Scan(&tb, &col)
		pk[tb+"."+col] = true
		return err
	})
	queryRows(t, db, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO' FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name != 'goose_db_version'`, func(r *sql.Rows) error {
		var tb, col, typ string
		var notNull bool
		err := r.Scan(&tb, &col, &typ, &notNull)
		s["column "+tb+"."+col] = columnOf(typ, notNull, pk[tb+"."+col])
		return err
	})
	queryRows(t, db, `SELECT c.relname, i.indisunique, i.indpred IS NOT NULL,
		ARRAY(SELECT COALESCE((SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = k), '<expr>')
		      FROM unnest(i.indkey) WITH ORDINALITY AS u(k, o) ORDER BY o)::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT i.indisprimary AND c.relname != 'goose_db_version'`, func(r *sql.Rows) error {
		var tb, cols, def string
		var unique, partial bool
		err := r.Scan(&tb, &unique, &partial, &cols, &def)
		k := indexKey(tb, strings.Split(strings.Trim(cols, "{}"), ","))
		if strings.Contains(def, `COLLATE "C"`) {
			k += ` COLLATE "C"`
		}
		s[k] = indexOf(unique, partial)
		return err
	})
	queryRows(t, db, `SELECT c.relname, a.attname, f.relname, fa.attname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class f ON f.oid = k.confrelid
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
		JOIN pg_attribute fa ON fa.attrelid = f.oid AND fa.attnum = k.confkey[1]
		WHERE n.nspname = current_schema() AND k.contype = 'f'`, func(r *sql.Rows) error {
		var tb, col, ref, to string
		err := r.Scan(&tb, &col, &ref, &to)
		s["foreign key "+tb+"."+col] = "references " + ref + "." + to
		return err
	})
	queryRows(t, db, `SELECT c.relname, COUNT(*) FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND k.contype = 'c' GROUP BY c.relname`, func(r *sql.Rows) error {
		var tb string
		var n int
		err := r.Scan(&tb, &n)
		s["checks "+tb] = fmt.Sprintf("%d CHECK constraints", n)
		return err
	})
}

func indexKey(table string, cols []string) string {
	return "index " + table + " (" + strings.Join(cols, ", ") + ")"
}

func indexOf(unique, partial bool) string {
	d := "index"
	if unique {
		d = "unique " + d
	}
	if partial {
		d = "partial " + d
	}
	return d
}

// columnOf describes a column by the kind of its type, so that the engines'
// names for one kind compare equal.
func columnOf(typ string, notNull, pk bool) string {
	d := typeKind(typ)
	if notNull {
		d += " not null"
	}
	if pk {
		d += " primary key"
	}
	return d
}

func typeKind(typ string) string {
	t := strings.ToLower(typ)
	switch {
	case strings.Contains(t, "int"):
		return "integer"
	case t == "text" || strings.Contains(t, "char") || t == "json" || t == "jsonb":
		return "text"
	case strings.HasPrefix(t, "bool"):
		return "boolean"
	case strings.Contains(t, "time") || t == "date":
		return "time"
	case t == "blob" || t == "bytea":
		return "bytes"
	case t == "real" || strings.Contains(t, "double") || t == "float":
		return "float"
	}
	return t
}

func queryRows(t *testing.T, db *sql.DB, q string, scan func(*sql.Rows) error, args ...any) {
	t.Helper()
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
