package main

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"
)

// The targets of the issue and DESIGN.md.
const (
	targetPGRatio   = 0.85
	targetMemRatio  = 0.60
	targetListP95   = 20 * time.Millisecond
	targetSearchP95 = 50 * time.Millisecond
	// The analytics targets of issue 8, section 5.
	targetSweep             = 60 * time.Second
	targetRankedP95         = 100 * time.Millisecond
	targetPaymentHistoryP95 = 20 * time.Millisecond
	targetIngestRecordsPS   = 20_000
	// The bulk targets of issue 10: the import and the export against
	// psql's \copy, their RSS growth, the communication's rate.
	targetImportRatio     = 0.5
	stretchImportRatio    = 0.8
	targetExportRatio     = 0.5
	targetBulkRSS         = 100_000_000 // bytes
	targetCommsMessagesPS = 2_000
	designBareGet         = "~14k req/s"
	designHello           = "~74k req/s"
	designCopyRowsPS      = "~67k rows/s"
)

// report collects every figure of a run.
type report struct {
	cfg                                    config
	load                                   *loadResult
	bareGet, bareDetails, realGet, leanGet []*runResult
	memGet, hello                          []*runResult
	list, search, create                   *runResult
	analytics                              *analyticsResult
	export                                 *exportResult
	comms                                  *commsResult
	bulkImport                             *importResult
	total                                  time.Duration
	tool                                   string // what drove the GET throughput runs
}

// median returns the run with the median req/s (the lower middle one for
// an even count).
func median(rs []*runResult) *runResult {
	if len(rs) == 0 {
		return &runResult{}
	}
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b *runResult) int {
		switch {
		case a.rps < b.rps:
			return -1
		case a.rps > b.rps:
			return 1
		}
		return 0
	})
	return s[(len(s)-1)/2]
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// num formats n with thousands separators.
func num(n float64) string {
	s := fmt.Sprintf("%.0f", n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// errNote mentions failed requests, which make a figure suspect.
func errNote(rs ...*runResult) string {
	var n int64
	sample := ""
	for _, r := range rs {
		if r == nil {
			continue
		}
		n += r.errors
		if sample == "" {
			sample = r.firstErr
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" ⚠ %d failed requests (%s)", n, sample)
}

// markdown renders the report.
func (r *report) markdown() string {
	var b strings.Builder
	tool := r.tool
	fmt.Fprintf(&b, "\n## Benchmark: %s customers in Postgres, %s in memory; %d CPUs; GET load by %s; %s each run, median of %d rounds\n\n",
		num(float64(r.cfg.rows)), num(float64(r.cfg.memRows)), runtime.NumCPU(), tool, r.cfg.duration, r.cfg.rounds)
	b.WriteString("| measure | figure | baseline (same run) | ratio | target | result |\n|---|---|---|---|---|---|\n")

	if len(r.bareGet) > 0 {
		for _, x := range []struct {
			name, baseName string
			runs, base     []*runResult
		}{
			{"GET /api/v1/customers/{id}, Postgres, API default (customer + services + billing + metrics)",
				"bare net/http + pgx, customer + services", r.realGet, r.bareDetails},
			{"GET /api/v1/customers/{id}, Postgres, API default, against the customer-only bare handler",
				"bare net/http + pgx, customer row", r.realGet, r.bareGet},
			{"GET /api/v1/customers/{id}, Postgres, customer only (`include_*=false`)",
				"bare net/http + pgx, customer row", r.leanGet, r.bareGet},
		} {
			m, bare := median(x.runs), median(x.base)
			ratio := m.rps / bare.rps
			fmt.Fprintf(&b, "| %s, wrk -c%d | %s req/s (p50 %s, p95 %s) | %s: %s req/s (p50 %s) | %.2f× | ≥ %.2f× | %s%s |\n",
				x.name, r.cfg.pgConns, num(m.rps), ms(m.p50), ms(m.p95), x.baseName, num(bare.rps), ms(bare.p50), ratio, targetPGRatio, verdict(ratio >= targetPGRatio), errNote(append(x.runs, x.base...)...))
		}
	}
	if len(r.memGet) > 0 {
		mem, hello := median(r.memGet), median(r.hello)
		ratio := mem.rps / hello.rps
		fmt.Fprintf(&b, "| GET /api/v1/customers/{id}, memory store, wrk -c%d | %s req/s (p50 %s, p95 %s) | hello-JSON net/http: %s req/s | %.2f× | ≥ %.2f× | %s%s |\n",
			r.cfg.memConns, num(mem.rps), ms(mem.p50), ms(mem.p95), num(hello.rps), ratio, targetMemRatio, verdict(ratio >= targetMemRatio), errNote(append(r.memGet, r.hello...)...))
	}
	for _, x := range []struct {
		name   string
		res    *runResult
		target time.Duration
	}{
		{"GET /api/v1/customers with filters", r.list, targetListP95},
		{"GET /api/v1/customers?q= search", r.search, targetSearchP95},
	} {
		if x.res == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s (mix of %d, limit 50), %d clients | p50 %s, p95 %s (%s req/s) | — | — | p95 < %s | %s%s |\n",
			x.name, len(x.res.byKind), r.cfg.listClients, ms(x.res.p50), ms(x.res.p95), num(x.res.rps), ms(x.target), verdict(x.res.p95 < x.target && x.res.errors == 0), errNote(x.res))
	}
	if r.create != nil {
		fmt.Fprintf(&b, "| POST /api/v1/customers (create, unique email/phone), %d clients | %s req/s (p50 %s, p95 %s) | — | — | — | %s |\n",
			r.cfg.createClients, num(r.create.rps), ms(r.create.p50), ms(r.create.p95), strings.TrimSpace("reported"+errNote(r.create)))
	}
	if r.analytics != nil {
		r.analytics.rows(&b, r.cfg)
	}
	r.bulkRows(&b)
	if l := r.load; l.reused {
		fmt.Fprintf(&b, "| Load (COPY) | reused the database loaded earlier (%s rows) | — | — | — | — |\n", num(float64(l.rows)))
	} else {
		all := l.copyDur + l.indexDur + l.vacDur
		fmt.Fprintf(&b, "| Load: pgx CopyFrom over %d connections, then %s | COPY %s rows/s (%s); all indexes %s; VACUUM ANALYZE %s; overall %s rows/s | psql \\copy with 3 indexes: %s (DESIGN.md) | — | — | reported |\n",
			r.cfg.loadConns, "index builds", num(float64(l.rows)/l.copyDur.Seconds()), l.copyDur.Round(100*time.Millisecond),
			l.indexDur.Round(100*time.Millisecond), l.vacDur.Round(100*time.Millisecond), num(float64(l.rows)/all.Seconds()), designCopyRowsPS)
	}
	fmt.Fprintf(&b, "\nReference figures of DESIGN.md on this kind of machine: bare GET %s, hello-JSON %s.\n", designBareGet, designHello)

	if len(r.bareGet)+len(r.memGet) > 0 {
		b.WriteString("\n### Rounds: req/s (cores busy with other processes meanwhile)\n\n| run | " + roundHeader(r.cfg.rounds) + "\n")
	}
	for _, x := range []struct {
		name string
		runs []*runResult
	}{{"bare net/http + pgx", r.bareGet}, {"bare net/http + pgx, customer + services", r.bareDetails}, {"API default (Postgres)", r.realGet}, {"API customer only (Postgres)", r.leanGet}, {"hello-JSON", r.hello}, {"API (memory)", r.memGet}} {
		if len(x.runs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s |", x.name)
		for _, run := range x.runs {
			fmt.Fprintf(&b, " %s (%s) |", num(run.rps), cores(run.foreign))
		}
		b.WriteString("\n")
	}
	for _, x := range []struct {
		name      string
		num, base []*runResult
	}{{"ratio default / bare customer + services", r.realGet, r.bareDetails}, {"ratio default / bare customer row", r.realGet, r.bareGet}, {"ratio customer only / bare", r.leanGet, r.bareGet}, {"ratio memory / hello-JSON", r.memGet, r.hello}} {
		if len(x.num) == 0 || len(x.num) != len(x.base) {
			continue
		}
		fmt.Fprintf(&b, "| %s |", x.name)
		for i := range x.num {
			fmt.Fprintf(&b, " %.2f× |", x.num[i].rps/x.base[i].rps)
		}
		b.WriteString("\n")
	}
	if len(r.bareGet)+len(r.memGet) > 0 {
		b.WriteString("\nA round runs each side once, back to back, in an order that rotates from round to round; the table above gives the ratio of the medians.\n")
	}

	for _, x := range []struct {
		name string
		res  *runResult
	}{{"Lists", r.list}, {"Search", r.search}} {
		if x.res == nil {
			continue
		}
		fmt.Fprintf(&b, "\n### %s by kind\n\n| kind | requests | p50 | p95 | max | errors |\n|---|---|---|---|---|---|\n", x.name)
		kinds := make([]string, 0, len(x.res.byKind))
		for k := range x.res.byKind {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			kl := x.res.byKind[k]
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %d |\n", k, kl.n, ms(kl.p50), ms(kl.p95), ms(kl.max), kl.errors)
		}
	}
	if r.analytics != nil {
		r.analytics.details(&b)
	}
	r.bulkDetails(&b)
	worst := 0.0
	for _, rs := range [][]*runResult{r.bareGet, r.bareDetails, r.realGet, r.leanGet, r.hello, r.memGet, {r.list, r.search, r.create}, r.analytics.runs(), r.bulkRuns()} {
		for _, x := range rs {
			if x != nil {
				worst = max(worst, x.foreign)
			}
		}
	}
	fmt.Fprintf(&b, "\nTotal run time %s. Busiest run shared the machine with %s cores of other processes (not the benchmark, wrk or the Postgres backends serving it)", r.total.Round(time.Second), cores(worst))
	if worst > 0.25 {
		b.WriteString(": ⚠ the machine was not quiet; rerun for cleaner figures")
	}
	b.WriteString(".\n")
	return b.String()
}

// cores formats a foreign CPU figure.
func cores(c float64) string {
	if c < 0 {
		return "?"
	}
	return fmt.Sprintf("%.2f", c)
}

func roundHeader(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "round %d | ", i+1)
	}
	b.WriteString("\n|---|")
	for range n {
		b.WriteString("---|")
	}
	return b.String()
}
