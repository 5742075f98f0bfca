package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/store/pgstore"
)

// refit fits a churn model on the history in the Postgres database dsn
// over the last window months and writes it to out. It does not migrate
// the database: a refit runs against a live server's schema.
func refit(ctx context.Context, dsn string, window int, out string, stdout io.Writer) error {
	st, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := app.New(st, app.Options{})
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := svc.Analytics.RefitChurnModel(ctx, time.Now(), window)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s: %d customers, %d-month window, %d-fold cv AUC %.4f (%s)\nwrote %s\n",
		m.Name, m.Version, m.TrainingRows, window, analytics.CVFolds, m.CVAUC, time.Since(start).Round(time.Millisecond), out)
	return nil
}
