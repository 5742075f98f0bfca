// Command telco runs the Telco churn benchmark against a running server:
//
//	telco load -csv FILE [-url http://localhost:8080] [-key KEY] [-concurrency 4]
//	telco eval -csv FILE [-url http://localhost:8080] [-key KEY] [-concurrency 4]
//
// load maps each row of a Telco-format CSV onto the API as the README's
// "Churn model" section says (internal/telco) and loads it through the
// HTTP API, with today as the mapping's today; it can be run again (see
// telco.Client.Load). eval finds each row's customer by its email, reads
// its churn risk (GET /api/v1/customers/{id}/churn-risk) and prints the
// AUC of the probabilities against the file's Churn column. The key is
// -key, or $CRM_API_KEY when the flag is not given: role agent to load,
// viewer to evaluate.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/telco"
)

const usage = `usage: telco load|eval -csv FILE [-url URL] [-key KEY] [-concurrency N]`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "telco:", err)
		}
		os.Exit(2)
	}
}

// run runs the subcommand of args, reporting to stdout.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "load" && args[0] != "eval") {
		fmt.Fprintln(stderr, usage)
		return errors.New("want the subcommand load or eval")
	}
	cmd := args[0]
	fs := flag.NewFlagSet("telco "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvPath := fs.String("csv", "", "the Telco-format CSV (required)")
	url := fs.String("url", "http://localhost:8080", "the server's base URL")
	key := fs.String("key", "", "the API key (default $CRM_API_KEY, which -h does not print)")
	concurrency := fs.Int("concurrency", 4, "customers loaded or scored at once")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *key == "" {
		*key = getenv("CRM_API_KEY")
	}
	if *csvPath == "" || *key == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("-csv and an API key are required")
	}
	rows, err := telco.ParseFile(*csvPath)
	if err != nil {
		return err
	}
	client := &telco.Client{URL: *url, Key: *key, Concurrency: *concurrency, HTTP: &http.Client{Timeout: time.Minute}}
	start := time.Now()
	if cmd == "load" {
		rep, err := client.Load(ctx, telco.Plans(rows, crm.DateOf(time.Now())))
		fmt.Fprintf(stdout, "loaded %d customers, %d already there, of %d rows in %s\n",
			rep.Loaded, rep.Existing, len(rows), time.Since(start).Round(time.Millisecond))
		return err
	}
	rep, err := client.Eval(ctx, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d rows: %d scored (%d churned), %d not found, in %s\nAUC %.4f\n",
		rep.Rows, rep.Scored, rep.Churned, rep.Missing, time.Since(start).Round(time.Millisecond), rep.AUC)
	return nil
}
