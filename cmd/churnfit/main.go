// Command churnfit fits the shipped churn model and rewrites its
// coefficients (analytics/churn_model.json):
//
//	go run ./cmd/churnfit -csv ../shared/data/telco-churn-train.csv
//
// It loads the Telco-format CSV into a fresh memory store through the Go
// API with the mapping of internal/telco, its clock fixed at -as-of
// (telco.TrainingAsOf by default, so the fit is the same whatever day it
// runs), computes each customer's churn features from the stored facts
// with the code that scores live customers, fits an L2-regularised
// logistic regression (analytics.Fit, lambda analytics.DefaultLambda),
// measures its 5-fold cross-validated AUC, and writes the model as JSON to
// -out. The test of internal/telco checks that the fit reproduces the
// checked-in file.
//
// With -db instead of -csv it refits on an operator's own history: it
// opens that Postgres database (read only: nothing is written), fits with
// analytics.Service.RefitChurnModel over the last -window months before
// now, and writes the model to -out, which the server then loads from
// CHURN_MODEL_FILE:
//
//	go run ./cmd/churnfit -db "$DATABASE_URL" -window 12 -out churn_model.json
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/internal/telco"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "churnfit:", err)
		}
		os.Exit(2)
	}
}

// run parses the flags in args, fits, writes the model and reports to
// stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("churnfit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvPath := fs.String("csv", "", "the Telco-format training CSV")
	dsn := fs.String("db", "", "refit on the history in this Postgres database instead of a CSV")
	window := fs.Int("window", analytics.DefaultHistoryMonths, "with -db: the months of history the refit predicts churn over")
	out := fs.String("out", "analytics/churn_model.json", "where to write the model")
	asOf := fs.String("as-of", telco.TrainingAsOf.Format(time.DateOnly), "the fixed clock of the fit (YYYY-MM-DD, midnight UTC): the mapping's today, the features' instant and trained_at")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*csvPath == "") == (*dsn == "") || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("one of -csv and -db is required, and nothing else")
	}
	if *dsn != "" {
		return refit(ctx, *dsn, *window, *out, stdout)
	}
	at, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}
	rows, err := telco.ParseFile(*csvPath)
	if err != nil {
		return err
	}
	start := time.Now()
	m, inSample, err := telco.FitModel(ctx, rows, at)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	report(stdout, m, inSample, time.Since(start))
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

// report prints the model's figures and its largest weights.
func report(w io.Writer, m *analytics.Model, inSample float64, took time.Duration) {
	fmt.Fprintf(w, "%s %s: %d rows, lambda %g, in-sample AUC %.4f, %d-fold cv AUC %.4f (%s)\n",
		m.Name, m.Version, m.TrainingRows, m.Lambda, inSample, analytics.CVFolds, m.CVAUC, took.Round(time.Millisecond))
	cs := slices.Clone(m.Coefficients)
	slices.SortStableFunc(cs, func(a, b analytics.Coefficient) int { return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)) })
	fmt.Fprintf(w, "intercept %+.4f; standardised weights, largest first:\n", m.Intercept)
	for _, c := range cs {
		if c.Weight != 0 {
			fmt.Fprintf(w, "  %-24s %+.4f\n", c.Feature, c.Weight)
		}
	}
}
