package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/store/pgstore"
)

// openStore returns the store DATABASE_URL selects, migrated, with the tax
// id cipher that goes with it, and the store's name for the logs.
func openStore(ctx context.Context, cfg *config, logger *slog.Logger) (store.Store, *customer.TaxIDCipher, string, error) {
	key := cfg.encryptionKey
	if cfg.databaseURL == "" {
		if key == nil {
			// Nothing outlives the process, so neither need the key.
			key = randomKey(32)
		}
		cipher, err := customer.NewTaxIDCipher(key)
		if err != nil {
			return nil, nil, "", err
		}
		logger.Info("using the in-memory store; data is lost when the process exits")
		return memstore.New(), cipher, "memory", nil
	}

	if key == nil {
		// A random key would make every stored tax id unreadable after a
		// restart, so Postgres insists on a configured one.
		return nil, nil, "", errors.New("configuration: ENCRYPTION_KEY is required with DATABASE_URL: set it to base64 of 32 bytes (openssl rand -base64 32) and keep it safe; tax ids stored under it cannot be read without it")
	}
	cipher, err := customer.NewTaxIDCipher(key)
	if err != nil {
		return nil, nil, "", err
	}
	st, err := openPostgres(ctx, cfg, logger)
	if err != nil {
		return nil, nil, "", err
	}
	return st, cipher, "postgres", nil
}

// openPostgres connects to DATABASE_URL and applies pending migrations, so
// a new version of the server brings its schema with it. Replicas starting
// together are serialised by pgstore's migration lock.
func openPostgres(ctx context.Context, cfg *config, logger *slog.Logger) (*pgstore.Store, error) {
	st, err := pgstore.Open(ctx, cfg.databaseURL, pgstore.Options{})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if err := st.Migrate(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	logger.Info("database migrated")
	return st, nil
}

// migrate is the migrate subcommand: apply the migrations and exit.
func migrate(ctx context.Context, cfg *config, logger *slog.Logger) error {
	if cfg.databaseURL == "" {
		return errors.New("migrate: DATABASE_URL is empty; set it to the Postgres database to migrate")
	}
	st, err := openPostgres(ctx, cfg, logger)
	if err != nil {
		return err
	}
	return st.Close()
}
