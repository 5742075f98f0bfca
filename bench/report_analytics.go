package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm/analytics"
)

// rows writes the analytics figures into the report's main table.
func (a *analyticsResult) rows(b *strings.Builder, cfg config) {
	if a.sweepRun != nil {
		d := a.sweepRun.elapsed
		fmt.Fprintf(b, "| Full refresh of every customer's profile: analytics.Service.Sweep, batches of %d, %d worker(s) | %s: %s customers in %s batches, %s customers/s | — | — | < %s | %s |\n",
			analytics.DefaultSweepBatch, a.sweepWorkers, secs(d), num(float64(a.sweep.Customers)), num(float64(a.sweep.Batches)),
			num(float64(a.sweep.Customers)/d.Seconds()), secs(targetSweep), verdict(d < targetSweep))
	}
	for _, x := range []struct {
		name, list string
		res        *runResult
		target     time.Duration
	}{
		{"GET /api/v1/customers/high-value", "high-value", a.highValue, targetRankedP95},
		{"GET /api/v1/customers/at-risk", "at-risk", a.atRisk, targetRankedP95},
		{fmt.Sprintf("GET /api/v1/customers?segment_id= (rules %s, %s members)", a.segmentRules, num(float64(a.segmentMembers))), "segment list", a.segment, targetRankedP95},
	} {
		if x.res == nil {
			continue
		}
		note := ""
		if a.items[x.list] == 0 {
			note = " ⚠ the list is empty"
		}
		fmt.Fprintf(b, "| %s, limit 50, first and following pages (%s customers on up to %d pages), %d clients | p50 %s, p95 %s (%s req/s) | — | — | p95 < %s | %s%s%s |\n",
			x.name, num(float64(a.items[x.list])), listPages, cfg.listClients, ms(x.res.p50), ms(x.res.p95), num(x.res.rps), ms(x.target),
			verdict(x.res.p95 < x.target && x.res.errors == 0), note, errNote(x.res))
	}
	if r := a.paymentHistory; r != nil {
		fmt.Fprintf(b, "| GET /api/v1/customers/{id}/payment-history, random history customers, months=12 and 60, %d clients | p50 %s, p95 %s (%s req/s) | — | — | p95 < %s | %s%s |\n",
			cfg.listClients, ms(r.p50), ms(r.p95), num(r.rps), ms(targetPaymentHistoryP95), verdict(r.p95 < targetPaymentHistoryP95 && r.errors == 0), errNote(r))
	}
	if len(a.ingest) > 0 {
		m := median(a.ingest)
		rps := m.rps * ingestBatch
		fmt.Fprintf(b, "| Feed ingest: POST …/invoices and …/payments in turn, %s new records a batch, each to another customer, %d clients | %s records/s (median of %d runs; batch p50 %s, p95 %s) | — | — | ≥ %s records/s | %s%s |\n",
			num(ingestBatch), cfg.ingestClients, num(rps), len(a.ingest), ms(m.p50), ms(m.p95), num(targetIngestRecordsPS),
			verdict(rps >= targetIngestRecordsPS && m.errors == 0), errNote(a.ingest...))
	}
	if a.historyLoad == 0 {
		fmt.Fprintf(b, "| History (COPY) | reused the history loaded earlier: %s customers × %d months | — | — | — | — |\n", num(float64(a.history)), a.months)
	} else {
		rows := float64(a.history * (1 + 2*a.months))
		fmt.Fprintf(b, "| History: pgx CopyFrom of %s customers × %d months (a service, invoices, payments) | %s rows in %s (%s rows/s) | — | — | — | reported |\n",
			num(float64(a.history)), a.months, num(rows), secs(a.historyLoad), num(rows/a.historyLoad.Seconds()))
	}
}

// secs formats a duration in seconds.
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// details writes the analytics latencies by kind of request and the
// rounds of the sweep and ingest with the foreign CPU of each.
func (a *analyticsResult) details(b *strings.Builder) {
	b.WriteString("\n### Analytics reads by kind\n\n| list | kind | requests | p50 | p95 | max | errors |\n|---|---|---|---|---|---|---|\n")
	for _, x := range []struct {
		name string
		res  *runResult
	}{{"high-value", a.highValue}, {"at-risk", a.atRisk}, {"segment list", a.segment}, {"payment-history", a.paymentHistory}} {
		if x.res == nil {
			continue
		}
		kinds := make([]string, 0, len(x.res.byKind))
		for k := range x.res.byKind {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			kl := x.res.byKind[k]
			fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %s | %d |\n", x.name, k, kl.n, ms(kl.p50), ms(kl.p95), ms(kl.max), kl.errors)
		}
	}
	if len(a.ingest) > 0 {
		b.WriteString("\n### Feed ingest runs: records/s (cores busy with other processes meanwhile)\n\n| run |")
		for i := range a.ingest {
			fmt.Fprintf(b, " %d |", i+1)
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", len(a.ingest)) + "\n| records/s |")
		for _, r := range a.ingest {
			fmt.Fprintf(b, " %s (%s) |", num(r.rps*ingestBatch), cores(r.foreign))
		}
		b.WriteString("\n")
	}
	if a.sweepRun != nil {
		fmt.Fprintf(b, "\nThe full refresh shared the machine with %s cores of other processes.\n", cores(a.sweepRun.foreign))
	}
}

// runs are the measured runs of the phase, for the report's check of
// foreign CPU; none when the phase did not run.
func (a *analyticsResult) runs() []*runResult {
	if a == nil {
		return nil
	}
	return slices.Concat([]*runResult{a.sweepRun, a.highValue, a.atRisk, a.segment, a.paymentHistory}, a.ingest)
}
