package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store/pgstore"
)

// loadResult says how the bench database was prepared.
type loadResult struct {
	reused   bool
	rows     int
	copyDur  time.Duration // COPY of the rows, without secondary indexes
	indexDur time.Duration // building the secondary indexes afterwards
	vacDur   time.Duration // VACUUM ANALYZE
	maxID    string        // the greatest loaded id; rows above it were created by a bench run
}

// fingerprint identifies what a loaded database holds: the generator, the
// row count, the migrations applied (pgstore.MigrationFS) and how the Go
// helpers derive the key columns. A database whose fingerprint differs is
// reloaded.
func fingerprint(rows int) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "generator %d rows %d\n", generatorVersion, rows)
	mfs := pgstore.MigrationFS()
	err := fs.WalkDir(mfs, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(mfs, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	sample := &customer.Customer{Name: "Ábel O'Brien", Email: "Abel.OBrien@Example.com", Phone: "+12025550143", AccountNumber: "1234567897", Company: "ACME Inc."}
	fmt.Fprintf(h, "%q %q\n", customer.NameKey(sample.Name), customer.SearchText(sample))
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// prepareDatabase makes sure the database at dsn holds the rows customers
// of gen under the current schema: it reuses a database loaded earlier with
// the same fingerprint (removing what earlier runs created through the
// API), and otherwise recreates it, migrates it through pgstore and loads it
// with COPY over conns connections.
func prepareDatabase(ctx context.Context, dsn string, rows, conns int, gen *generator) (*loadResult, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("BENCH_DATABASE_URL: %w", err)
	}
	fp, err := fingerprint(rows)
	if err != nil {
		return nil, err
	}
	if res, err := reuse(ctx, cfg, fp, rows); err != nil || res != nil {
		return res, err
	}

	log.Printf("load: (re)creating database %s for %d customers", cfg.Database, rows)
	if err := recreateDatabase(ctx, cfg, true); err != nil {
		return nil, err
	}
	if err := pgstore.Migrate(ctx, dsn); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}

	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	cols, err := tableColumns(ctx, conn, "customers")
	if err != nil {
		return nil, err
	}
	extract, err := extractors(cols)
	if err != nil {
		return nil, err
	}
	indexes, err := dropSecondaryIndexes(ctx, conn)
	if err != nil {
		return nil, err
	}

	res := &loadResult{rows: rows}
	start := time.Now()
	if err := copyCustomers(ctx, cfg, cols, extract, rows, conns, gen); err != nil {
		return nil, err
	}
	res.copyDur = time.Since(start)
	log.Printf("load: COPY %d rows in %s (%.0f rows/s); building %d indexes", rows, res.copyDur.Round(time.Millisecond), float64(rows)/res.copyDur.Seconds(), len(indexes))

	start = time.Now()
	if err := buildIndexes(ctx, cfg, indexes, conns); err != nil {
		return nil, err
	}
	res.indexDur = time.Since(start)
	start = time.Now()
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) customers"); err != nil {
		return nil, fmt.Errorf("vacuum analyze: %w", err)
	}
	res.vacDur = time.Since(start)
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(id), '') FROM customers").Scan(&res.maxID); err != nil {
		return nil, err
	}
	_, err = conn.Exec(ctx, `CREATE TABLE bench_meta (fingerprint text NOT NULL, rows integer NOT NULL, max_id text COLLATE "C" NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`)
	if err == nil {
		_, err = conn.Exec(ctx, "INSERT INTO bench_meta (fingerprint, rows, max_id) VALUES ($1, $2, $3)", fp, rows, res.maxID)
	}
	if err != nil {
		return nil, fmt.Errorf("record bench_meta: %w", err)
	}
	log.Printf("load: indexes in %s, VACUUM ANALYZE in %s", res.indexDur.Round(time.Millisecond), res.vacDur.Round(time.Millisecond))
	return res, nil
}

// recreateDatabase drops the database of cfg, when it exists, and creates
// it again empty unless create is false.
func recreateDatabase(ctx context.Context, cfg *pgx.ConnConfig, create bool) error {
	admin := cfg.Copy()
	admin.Database = "postgres"
	ac, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to the postgres database: %w", err)
	}
	defer ac.Close(ctx)
	db := pgx.Identifier{cfg.Database}.Sanitize()
	if _, err := ac.Exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", cfg.Database, err)
	}
	if !create {
		return nil
	}
	if _, err := ac.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		return fmt.Errorf("create database %s: %w", cfg.Database, err)
	}
	return nil
}

// reuse returns the loaded database when its bench_meta matches fp and
// rows, after deleting what earlier runs created; nil when it must be
// (re)loaded.
func reuse(ctx context.Context, cfg *pgx.ConnConfig, fp string, rows int) (*loadResult, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "3D000" { // invalid_catalog_name: no such database
			return nil, nil
		}
		return nil, fmt.Errorf("connect to %s: %w", cfg.Database, err)
	}
	defer conn.Close(ctx)
	var gotFP, maxID string
	var gotRows int
	err = conn.QueryRow(ctx, "SELECT fingerprint, rows, max_id FROM bench_meta").Scan(&gotFP, &gotRows, &maxID)
	if err != nil || gotFP != fp || gotRows != rows {
		log.Printf("load: database %s is not a finished load of %d rows with schema/generator %s; reloading", cfg.Database, rows, fp)
		return nil, nil
	}
	// Rows the bench created through the API have UUIDv7 ids later than
	// every loaded row; the other tables hold nothing but what they wrote,
	// except the analytics history (services and feeds, see loadHistory),
	// which is kept for the next run.
	tag, err := conn.Exec(ctx, "DELETE FROM customers WHERE id > $1", maxID)
	if err != nil {
		return nil, fmt.Errorf("remove customers created by an earlier run: %w", err)
	}
	if _, err := conn.Exec(ctx, "TRUNCATE customer_status_changes, audit_entries, outbox_events, idempotency_keys, jobs, job_errors, job_inputs, job_messages"); err != nil {
		return nil, fmt.Errorf("remove rows written by an earlier run: %w", err)
	}
	if tag.RowsAffected() > 0 {
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) customers"); err != nil {
			return nil, err
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil {
		return nil, err
	}
	if n != rows {
		log.Printf("load: database %s holds %d customers, want %d; reloading", cfg.Database, n, rows)
		return nil, nil
	}
	log.Printf("load: reusing database %s (%d customers, fingerprint %s; %d created by an earlier run removed)", cfg.Database, n, fp, tag.RowsAffected())
	return &loadResult{reused: true, rows: rows, maxID: maxID}, nil
}

// tableColumns lists the columns of table in order.
func tableColumns(ctx context.Context, conn *pgx.Conn, table string) ([]string, error) {
	rows, err := conn.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err == nil && len(cols) == 0 {
		err = fmt.Errorf("table %s not found after migrating", table)
	}
	return cols, err
}

// extractor returns the value of one column for a customer, as pgstore
// writes it.
type extractor func(c *customer.Customer) any

// columnExtractors maps every column of the customers migration to its value.
// The derived columns use the Go helpers the stores use.
var columnExtractors = map[string]extractor{
	"id":                    func(c *customer.Customer) any { return c.ID },
	"account_number":        func(c *customer.Customer) any { return c.AccountNumber },
	"name":                  func(c *customer.Customer) any { return c.Name },
	"name_key":              func(c *customer.Customer) any { return customer.NameKey(c.Name) },
	"email":                 func(c *customer.Customer) any { return nullString(c.Email) },
	"phone":                 func(c *customer.Customer) any { return nullString(c.Phone) },
	"customer_type":         func(c *customer.Customer) any { return string(c.Type) },
	"status":                func(c *customer.Customer) any { return string(c.Status) },
	"billing_street":        func(c *customer.Customer) any { return c.BillingAddress.Street },
	"billing_unit":          func(c *customer.Customer) any { return c.BillingAddress.Unit },
	"billing_city":          func(c *customer.Customer) any { return c.BillingAddress.City },
	"billing_state":         func(c *customer.Customer) any { return c.BillingAddress.State },
	"billing_postal_code":   func(c *customer.Customer) any { return c.BillingAddress.PostalCode },
	"billing_country":       func(c *customer.Customer) any { return c.BillingAddress.Country },
	"billing_city_key":      func(c *customer.Customer) any { return strings.ToLower(c.BillingAddress.City) },
	"billing_state_key":     func(c *customer.Customer) any { return strings.ToLower(c.BillingAddress.State) },
	"billing_latitude":      func(c *customer.Customer) any { return coord(c, true) },
	"billing_longitude":     func(c *customer.Customer) any { return coord(c, false) },
	"service_address":       func(c *customer.Customer) any { return jsonOf(c.ServiceAddress) },
	"tax_id_ciphertext":     func(c *customer.Customer) any { return taxField(c, true) },
	"tax_id_blind_index":    func(c *customer.Customer) any { return taxField(c, false) },
	"tax_id_last4":          func(c *customer.Customer) any { return c.TaxIDLast4 },
	"company":               func(c *customer.Customer) any { return c.Company },
	"industry":              func(c *customer.Customer) any { return c.Industry },
	"credit_score":          func(c *customer.Customer) any { return intPtr(c.CreditScore) },
	"preferred_contact":     func(c *customer.Customer) any { return string(c.PreferredContact) },
	"marketing_emails":      func(c *customer.Customer) any { return c.CommunicationPreferences.MarketingEmails },
	"service_notifications": func(c *customer.Customer) any { return c.CommunicationPreferences.ServiceNotifications },
	"billing_reminders":     func(c *customer.Customer) any { return c.CommunicationPreferences.BillingReminders },
	"outage_alerts":         func(c *customer.Customer) any { return c.CommunicationPreferences.OutageAlerts },
	"emergency_contact":     func(c *customer.Customer) any { return jsonOf(c.EmergencyContact) },
	"notes":                 func(c *customer.Customer) any { return c.Notes },
	"suspension_reason": func(c *customer.Customer) any {
		if c.Suspension == nil {
			return nil
		}
		return string(c.Suspension.Reason)
	},
	"suspension_notes": func(c *customer.Customer) any {
		if c.Suspension == nil {
			return ""
		}
		return c.Suspension.Notes
	},
	"suspended_since": func(c *customer.Customer) any {
		if c.Suspension == nil {
			return nil
		}
		return c.Suspension.Since
	},
	"suspended_until": func(c *customer.Customer) any {
		if c.Suspension == nil || c.Suspension.Until == nil {
			return nil
		}
		return *c.Suspension.Until
	},
	"version":    func(c *customer.Customer) any { return c.Version },
	"created_at": func(c *customer.Customer) any { return c.CreatedAt },
	"updated_at": func(c *customer.Customer) any { return c.UpdatedAt },
	"deleted_at": func(c *customer.Customer) any {
		if c.DeletedAt == nil {
			return nil
		}
		return *c.DeletedAt
	},
	"search_text":    func(c *customer.Customer) any { return customer.SearchText(c) },
	"external_id":    func(c *customer.Customer) any { return nullString(c.ExternalID) },
	"customer_since": func(c *customer.Customer) any { return c.CustomerSince.Time() },
}

// extractors returns the extractor of each column, failing on a column the
// bench does not know (the migration changed: teach columnExtractors).
func extractors(cols []string) ([]extractor, error) {
	out := make([]extractor, len(cols))
	for i, col := range cols {
		f, ok := columnExtractors[col]
		if !ok {
			return nil, fmt.Errorf("customers.%s is not known to the bench: add it to columnExtractors in bench/load.go", col)
		}
		out[i] = f
	}
	if len(cols) != len(columnExtractors) {
		return nil, fmt.Errorf("the customers table has %d columns, the bench fills %d: update columnExtractors in bench/load.go", len(cols), len(columnExtractors))
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func coord(c *customer.Customer, lat bool) any {
	co := c.BillingAddress.Coordinates
	switch {
	case co == nil:
		return nil
	case lat:
		return co.Latitude
	default:
		return co.Longitude
	}
}

func taxField(c *customer.Customer, ciphertext bool) any {
	switch {
	case c.TaxID == nil:
		return nil
	case ciphertext:
		return c.TaxID.Ciphertext
	default:
		return c.TaxID.BlindIndex
	}
}

func intPtr(p *int) any {
	if p == nil {
		return nil
	}
	return int32(*p)
}

// jsonOf marshals an optional value as pgstore does; nil stays NULL.
func jsonOf[T any](v *T) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs always marshal
	}
	return b
}

// dropSecondaryIndexes drops the indexes of customers that back no
// constraint and returns their definitions, to be rebuilt after the COPY:
// building an index once is far cheaper than maintaining it row by row.
func dropSecondaryIndexes(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, `SELECT i.relname, pg_get_indexdef(x.indexrelid)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = 'customers'::regclass
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
		ORDER BY i.relname`)
	if err != nil {
		return nil, err
	}
	type index struct{ name, def string }
	idx, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var i index
		return i, r.Scan(&i.name, &i.def)
	})
	if err != nil {
		return nil, err
	}
	defs := make([]string, 0, len(idx))
	for _, i := range idx {
		if _, err := conn.Exec(ctx, "DROP INDEX "+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return nil, err
		}
		defs = append(defs, i.def)
	}
	// The slowest (GIN) first, so the other connections share the rest.
	sort.SliceStable(defs, func(a, b int) bool {
		return strings.Contains(defs[a], "USING gin") && !strings.Contains(defs[b], "USING gin")
	})
	return defs, nil
}

// copyCustomers generates rows customers and COPYs them in over conns
// connections, each taking a contiguous range of indexes.
func copyCustomers(ctx context.Context, cfg *pgx.ConnConfig, cols []string, extract []extractor, rows, conns int, gen *generator) error {
	var done atomic.Int64
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				log.Printf("load: %d / %d rows", done.Load(), rows)
			}
		}
	}()
	defer close(stop)

	conns = max(1, min(conns, rows))
	errs := make([]error, conns)
	var wg sync.WaitGroup
	for w := range conns {
		lo, hi := rows*w/conns, rows*(w+1)/conns
		wg.Go(func() {
			errs[w] = copyRange(ctx, cfg, cols, extract, lo, hi, gen, &done)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// copyRange COPYs the customers with indexes lo..hi-1 on one connection.
func copyRange(ctx context.Context, cfg *pgx.ConnConfig, cols []string, extract []extractor, lo, hi int, gen *generator, done *atomic.Int64) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// The load is repeatable from scratch: no need to wait for each commit
	// to reach the disk.
	if _, err := conn.Exec(ctx, "SET synchronous_commit = off"); err != nil {
		return err
	}
	i := lo
	vals := make([]any, len(extract))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i >= hi {
			return nil, nil
		}
		c, _, err := gen.customer(i)
		if err != nil {
			return nil, err
		}
		for j, f := range extract {
			vals[j] = f(c)
		}
		i++
		if i%10_000 == 0 {
			done.Add(10_000)
		}
		return vals, nil
	})
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"customers"}, cols, src)
	if err != nil {
		return fmt.Errorf("COPY customers %d..%d: %w", lo, hi, err)
	}
	if int(n) != hi-lo {
		return fmt.Errorf("COPY customers %d..%d: %d rows copied", lo, hi, n)
	}
	return nil
}

// buildIndexes runs the index definitions over conns connections.
func buildIndexes(ctx context.Context, cfg *pgx.ConnConfig, defs []string, conns int) error {
	queue := make(chan string, len(defs))
	for _, d := range defs {
		queue <- d
	}
	close(queue)
	conns = max(1, min(conns, len(defs)))
	errs := make([]error, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				errs[w] = err
				return
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '1GB'"); err != nil {
				errs[w] = err
				return
			}
			for def := range queue {
				start := time.Now()
				if _, err := conn.Exec(ctx, def); err != nil {
					errs[w] = fmt.Errorf("%s: %w", def, err)
					return
				}
				name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(def, "CREATE UNIQUE INDEX "), "CREATE INDEX "), " ")
				log.Printf("load: index %s built in %s", name, time.Since(start).Round(time.Millisecond))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
