package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// run is the whole program behind main: it reads the configuration through
// getenv, dispatches on the subcommand in args[1] and, for serve, blocks
// until ctx is cancelled and the server has shut down cleanly (returning
// nil). Taking its dependencies as parameters lets tests run several
// servers in one process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	if len(args) > 2 {
		return fmt.Errorf("unexpected arguments after %q: %s (configuration comes from the environment; see `server help`)", cmd, strings.Join(args[2:], " "))
	}
	switch cmd {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return nil
	case "serve", "migrate":
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate or help)", cmd)
	}

	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	if cmd == "migrate" {
		return migrate(ctx, cfg, logger)
	}
	return serve(ctx, cfg, logger)
}

// printUsage writes the commands and the configuration variables.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: server [serve | migrate | help]

  serve     serve the API (default)
  migrate   apply the database migrations to DATABASE_URL and exit
  help      print this text

Environment:
`)
	for _, v := range envVars {
		fmt.Fprintf(w, "  %-20s %s (default: %s)\n", v.Name, v.Meaning, v.Default)
	}
}
