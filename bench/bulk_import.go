package main

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store/pgstore"
)

// importDBSuffix names the bulkimport phase's database after the bench
// database: the import and its psql baseline both start from an empty
// customers table there, side by side, and the bench database is left
// as it was. The phase drops it when done.
const importDBSuffix = "_import"

// importResult is what the bulkimport phase measured.
type importResult struct {
	rows, columns int
	csvBytes      int64
	// indexes are those of the customers table (as migrated) and of the
	// scratch table psql copies into; unique counts the unique ones.
	indexes, scratchIndexes, unique int
	copyRun                         *runResult // psql \copy into scratch
	upload                          time.Duration
	importRun                       *runResult // submit to the job's end
	job                             *bulk.Job
	rss                             rssResult
}

// copyRate and importRate are the rows/s of each side.
func (r *importResult) copyRate() float64 { return float64(r.rows) / r.copyRun.elapsed.Seconds() }
func (r *importResult) importRate() float64 {
	return float64(r.job.Counts.Created) / r.importRun.elapsed.Seconds()
}

// bulkImport measures the bulk import of -import-rows generated customers
// as CSV through POST /api/v1/customers/bulk-import?mode=create, from the
// request to the job's end, against psql's \copy of the same customers
// into a scratch table LIKE customers INCLUDING ALL (the same columns,
// constraints and indexes), both into empty tables of a database of
// their own, and the growth of this process's RSS during the import.
func (b *bench) bulkImport(ctx context.Context, gen *generator, cipher *customer.TaxIDCipher, keys []httpapi.APIKey, logger *slog.Logger) (*importResult, error) {
	mainCfg, err := pgx.ParseConfig(b.cfg.dsn)
	if err != nil {
		return nil, err
	}
	cfg := mainCfg.Copy()
	cfg.Database += importDBSuffix
	dsn, err := withDatabase(b.cfg.dsn, cfg.Database)
	if err != nil {
		return nil, err
	}
	log.Printf("bulkimport: (re)creating database %s", cfg.Database)
	if err := recreateDatabase(ctx, cfg, true); err != nil {
		return nil, err
	}
	defer func() {
		if err := recreateDatabase(context.WithoutCancel(ctx), cfg, false); err != nil {
			log.Printf("bulkimport: %v", err)
		}
	}()
	if err := pgstore.Migrate(ctx, dsn); err != nil {
		return nil, fmt.Errorf("migrate %s: %w", cfg.Database, err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)

	res := &importResult{}
	csvPath, tablePath := filepath.Join(b.lg.dir, "import.csv"), filepath.Join(b.lg.dir, "import-table.csv")
	if res.columns, err = writeImportFiles(ctx, conn, gen, b.cfg.importRows, csvPath, tablePath); err != nil {
		return nil, err
	}
	res.rows = b.cfg.importRows
	st, err := os.Stat(csvPath)
	if err != nil {
		return nil, err
	}
	res.csvBytes = st.Size()
	if err := createScratch(ctx, conn, res); err != nil {
		return nil, err
	}

	// psql \copy of the rows of the customers table.
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		return nil, err
	}
	waitQuiet()
	res.copyRun, err = measured(func() (*runResult, error) {
		run, err := runPSQL(ctx, conn, dsn, fmt.Sprintf(`\copy scratch FROM '%s' WITH (FORMAT csv)`, tablePath))
		return &runResult{elapsed: run.elapsed, toolCPU: run.cpu}, err
	})
	if err != nil {
		return nil, err
	}
	var copied int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM scratch").Scan(&copied); err != nil {
		return nil, err
	}
	if copied != res.rows {
		return nil, fmt.Errorf("bulkimport: psql copied %d rows of %d", copied, res.rows)
	}
	log.Printf("bulkimport: psql \\copy of %d rows into scratch (%d indexes): %s, %.0f rows/s, foreign CPU %.2f cores",
		res.rows, res.scratchIndexes, res.copyRun.elapsed.Round(time.Millisecond), res.copyRate(), res.copyRun.foreign)

	// The same customers through the API.
	store, err := pgstore.Open(ctx, dsn, pgstore.Options{MaxOpenConns: b.cfg.pool})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	srv, err := startBulkServer(ctx, "import", store, app.Options{TaxIDs: cipher, Logger: logger}, keys)
	if err != nil {
		return nil, err
	}
	defer srv.close()
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		return nil, err
	}
	waitQuiet()
	stop := b.profile("bulkimport")
	rss := watchRSS()
	res.importRun, err = measured(func() (*runResult, error) {
		start := time.Now()
		job, upload, err := postImport(ctx, srv.url, csvPath, res.csvBytes)
		if err != nil {
			return nil, err
		}
		res.upload = upload
		// At a few hundred rows/s the job takes minutes; bounded all the same.
		j, err := waitJob(ctx, srv.url, job.ID, 200*time.Millisecond, 10*time.Minute+time.Duration(res.rows)*5*time.Millisecond, final)
		if err != nil {
			return nil, err
		}
		res.job = &j.Job
		end := time.Now()
		if res.job.FinishedAt != nil {
			end = *res.job.FinishedAt
		}
		return &runResult{elapsed: end.Sub(start)}, nil
	})
	res.rss = rss.end()
	stop()
	if err != nil {
		return nil, err
	}
	log.Printf("bulkimport: API import of %d rows: job %s, %+v, %s (upload %s), %.0f rows/s, ratio %.2f×, RSS +%s (%s), foreign CPU %.2f cores",
		res.rows, res.job.State, res.job.Counts, res.importRun.elapsed.Round(time.Millisecond), res.upload.Round(time.Millisecond),
		res.importRate(), res.importRate()/res.copyRate(), mb(res.rss.growth()), res.rss.how, res.importRun.foreign)
	return res, nil
}

// postImport POSTs the CSV file at path as a create import and returns
// the queued job and how long the request took.
func postImport(ctx context.Context, baseURL, path string, size int64) (*jobView, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	start := time.Now()
	resp, err := adminRequest(ctx, http.MethodPost, baseURL+"/api/v1/customers/bulk-import?mode=create", "text/csv", f, size)
	if err != nil {
		return nil, 0, err
	}
	j, err := decodeJob(resp, http.StatusAccepted)
	return j, time.Since(start), err
}

// createScratch creates the table psql copies into, LIKE customers
// INCLUDING ALL, and checks that it has the indexes of customers.
func createScratch(ctx context.Context, conn *pgx.Conn, res *importResult) error {
	if _, err := conn.Exec(ctx, "CREATE TABLE scratch (LIKE customers INCLUDING ALL)"); err != nil {
		return err
	}
	prod, err := indexShapes(ctx, conn, "customers")
	if err != nil {
		return err
	}
	scratch, err := indexShapes(ctx, conn, "scratch")
	if err != nil {
		return err
	}
	res.indexes, res.scratchIndexes = len(prod), len(scratch)
	left := map[indexShape]int{}
	for _, x := range scratch {
		left[x]++
	}
	for _, x := range prod {
		if left[x] == 0 {
			return fmt.Errorf("bulkimport: scratch lacks the index %s of customers", x.def)
		}
		left[x]--
		if x.unique {
			res.unique++
		}
	}
	if len(prod) != len(scratch) {
		return fmt.Errorf("bulkimport: scratch has %d indexes, customers %d", len(scratch), len(prod))
	}
	return nil
}

// indexShape is an index without its name and table: whether it is
// unique, and its method, keys and predicate.
type indexShape struct {
	unique bool
	def    string
}

// indexShapes lists the indexes of table.
func indexShapes(ctx context.Context, conn *pgx.Conn, table string) ([]indexShape, error) {
	rows, err := conn.Query(ctx, `SELECT x.indisunique, pg_get_indexdef(x.indexrelid)
		FROM pg_index x WHERE x.indrelid = $1::regclass`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (indexShape, error) {
		var x indexShape
		var def string
		if err := r.Scan(&x.unique, &def); err != nil {
			return x, err
		}
		// CREATE [UNIQUE] INDEX name ON public.table USING method (...) [WHERE ...]
		i := strings.Index(def, " USING ")
		if i < 0 {
			return x, fmt.Errorf("index definition %q", def)
		}
		x.def = def[i:]
		return x, nil
	})
}
