package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The baselines: the floors the real handlers are measured against, in the
// same process, on the same machine, in the same run.

// bareColumns are the columns the bare handler reads: the same as pgstore's
// GetCustomer reads (its customerColumns), in the order of bareRow.dest.
const bareColumns = `id, account_number, name, email, phone, customer_type, status,
	billing_street, billing_unit, billing_city, billing_state, billing_postal_code, billing_country,
	billing_latitude, billing_longitude, service_address,
	tax_id_ciphertext, tax_id_blind_index, tax_id_last4, company, industry, credit_score, preferred_contact,
	marketing_emails, service_notifications, billing_reminders, outage_alerts, emergency_contact, notes,
	suspension_reason, suspension_notes, suspended_since, suspended_until,
	version, created_at, updated_at, deleted_at, external_id, customer_since`

// bareGetSQL is GET by primary key as the real store does it.
const bareGetSQL = `SELECT ` + bareColumns + ` FROM customers WHERE id = $1 AND deleted_at IS NULL`

// bareDetailsSQL is the read behind the API's default GET as the real store
// does it: the customer, its stored insight (billing summary and account
// metrics, passed through as JSON) and up to 101 of its services, oldest
// first, in one statement (pgstore's customerDetailsSQL).
const bareDetailsSQL = `SELECT c.*, coalesce(a.insight::text, '{}'), coalesce(s.id, ''), coalesce(s.plan_name, ''), coalesce(s.technology, ''),
		coalesce(s.status, ''), coalesce(s.monthly_price, 0), coalesce(s.contract_term, ''),
		coalesce(s.start_date, '1970-01-01'), s.end_date, coalesce(s.bandwidth_down_mbps, 0),
		coalesce(s.bandwidth_up_mbps, 0), coalesce(s.version, 0), coalesce(s.created_at, 'epoch'), coalesce(s.updated_at, 'epoch'),
		coalesce(s.service_type, '')
	FROM (SELECT ` + bareColumns + ` FROM customers WHERE id = $1 AND deleted_at IS NULL) c
	LEFT JOIN customer_analytics a ON a.customer_id = $1
	LEFT JOIN LATERAL (SELECT * FROM services WHERE customer_id = $1 ORDER BY id LIMIT 101) s ON true`

// bareService is a service as the bare details handler shows it.
type bareService struct {
	ID                string     `json:"id"`
	PlanName          string     `json:"plan_name"`
	Technology        string     `json:"technology"`
	Status            string     `json:"status"`
	MonthlyPrice      crm.Money  `json:"monthly_price"`
	ContractTerm      string     `json:"contract_term"`
	StartDate         time.Time  `json:"start_date"`
	EndDate           *time.Time `json:"end_date"`
	BandwidthDownMbps int        `json:"bandwidth_down_mbps"`
	BandwidthUpMbps   int        `json:"bandwidth_up_mbps"`
	Version           int64      `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	ServiceType       string     `json:"service_type"`
}

// dest returns the scan targets of the service columns of bareDetailsSQL.
func (s *bareService) dest() []any {
	return []any{&s.ID, &s.PlanName, &s.Technology, &s.Status, &s.MonthlyPrice, &s.ContractTerm,
		&s.StartDate, &s.EndDate, &s.BandwidthDownMbps, &s.BandwidthUpMbps, &s.Version, &s.CreatedAt, &s.UpdatedAt, &s.ServiceType}
}

// bareDetails is the body of the bare details handler: the customer with
// its stored insight and its services.
type bareDetails struct {
	*customer.Customer
	Insight  json.RawMessage `json:"insight"`
	Services []bareService   `json:"services"`
}

// bareRow is one scanned row.
type bareRow struct {
	c                        customer.Customer
	email, phone             *string
	lat, lon                 *float64
	serviceAddress, emergent []byte
	credit                   *int32
	suspReason               *string
	suspNotes                string
	suspSince, suspUntil     *time.Time
	taxCiphertext            []byte
	taxBlindIndex            *string
	deletedAt                *time.Time
	externalID               *string
	customerSince            time.Time
}

func (r *bareRow) dest() []any {
	c := &r.c
	b := &c.BillingAddress
	p := &c.CommunicationPreferences
	return []any{&c.ID, &c.AccountNumber, &c.Name, &r.email, &r.phone, &c.Type, &c.Status,
		&b.Street, &b.Unit, &b.City, &b.State, &b.PostalCode, &b.Country,
		&r.lat, &r.lon, &r.serviceAddress,
		&r.taxCiphertext, &r.taxBlindIndex, &c.TaxIDLast4, &c.Company, &c.Industry, &r.credit, &c.PreferredContact,
		&p.MarketingEmails, &p.ServiceNotifications, &p.BillingReminders, &p.OutageAlerts, &r.emergent, &c.Notes,
		&r.suspReason, &r.suspNotes, &r.suspSince, &r.suspUntil,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &r.deletedAt, &r.externalID, &r.customerSince}
}

// customer completes the scanned customer.
func (r *bareRow) customer() (*customer.Customer, error) {
	c := &r.c
	if r.email != nil {
		c.Email = *r.email
	}
	if r.phone != nil {
		c.Phone = *r.phone
	}
	if r.externalID != nil {
		c.ExternalID = *r.externalID
	}
	c.CustomerSince = crm.DateOf(r.customerSince)
	if r.lat != nil && r.lon != nil {
		c.BillingAddress.Coordinates = &customer.Coordinates{Latitude: *r.lat, Longitude: *r.lon}
	}
	if r.serviceAddress != nil {
		c.ServiceAddress = new(customer.Address)
		if err := json.Unmarshal(r.serviceAddress, c.ServiceAddress); err != nil {
			return nil, err
		}
	}
	if r.emergent != nil {
		c.EmergencyContact = new(customer.EmergencyContact)
		if err := json.Unmarshal(r.emergent, c.EmergencyContact); err != nil {
			return nil, err
		}
	}
	if r.credit != nil {
		v := int(*r.credit)
		c.CreditScore = &v
	}
	if r.suspReason != nil {
		c.Suspension = &customer.Suspension{Reason: customer.SuspensionReason(*r.suspReason), Notes: r.suspNotes, Until: r.suspUntil}
		if r.suspSince != nil {
			c.Suspension.Since = r.suspSince.UTC()
		}
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

// bareHandler serves, with nothing but net/http and a pgx pool, GET
// /customers/{id} (the same row the real store reads, encoded as JSON: the
// floor for the API's customer-only GET) and GET /customers/{id}/details
// (the same read as the API's default GET, the customer with its stored
// insight and its services: the floor for that).
func bareHandler(pool *pgxpool.Pool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /customers/{id}/details", func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), bareDetailsSQL, r.PathValue("id"))
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		var out *bareDetails
		for rows.Next() {
			var row bareRow
			var s bareService
			var insight string
			if err = rows.Scan(append(append(row.dest(), &insight), s.dest()...)...); err != nil {
				break
			}
			if out == nil {
				c, cerr := row.customer()
				if cerr != nil {
					err = cerr
					break
				}
				out = &bareDetails{Customer: c, Insight: json.RawMessage(insight), Services: []bareService{}}
			}
			if s.ID != "" {
				out.Services = append(out.Services, s)
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		if out == nil {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		body, err := json.Marshal(out)
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body) //nolint:errcheck // the client went away
	})
	mux.HandleFunc("GET /customers/{id}", func(w http.ResponseWriter, r *http.Request) {
		var row bareRow
		err := pool.QueryRow(r.Context(), bareGetSQL, r.PathValue("id")).Scan(row.dest()...)
		if errors.Is(err, pgx.ErrNoRows) {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		c, err := row.customer()
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		body, err := json.Marshal(c)
		if err != nil {
			http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body) //nolint:errcheck // the client went away
	})
	return mux
}

// helloHandler is the TechEmpower-style hello-JSON handler: the floor of
// any Go HTTP handler on this machine.
func helloHandler() http.Handler {
	type message struct {
		Message string `json:"message"`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(message{Message: "Hello, World!"}) //nolint:errcheck
	})
	return mux
}

// openBarePool opens the bare handler's pool with as many connections as
// the real store's pool, so neither side gets more database parallelism.
func openBarePool(ctx context.Context, dsn string, conns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(conns)
	cfg.MinConns = int32(conns)
	return pgxpool.NewWithConfig(ctx, cfg)
}

// server is an http.Server on a loopback port.
type server struct {
	name string
	url  string
	srv  *http.Server
}

// serve starts h on 127.0.0.1 at a free port.
func serve(name string, h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{name: name, url: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go s.srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed
	return s, nil
}

// close stops the server.
func (s *server) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx) //nolint:errcheck
}
