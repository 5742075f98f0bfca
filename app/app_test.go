package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gocloud.dev/blob/memblob"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/store/memstore"
	"github.com/ispstack/crm/verify"
)

// personal are strings of the customer's personal data, none of which may
// survive its deletion anywhere but in the masked audit trail.
var personal = []string{"Ada Lovelace", "ada@example.com", "2125550142", "350 5th Ave", "Charles Babbage",
	"charles@example.com", "owes since March", "called to say sorry", "Analytical Engine", "Ada cannot reach the engine"}

// TestDeleteErasesEveryModule deletes a customer that every module holds
// data about and checks that each eraser ran: no contact, no document row
// or file, no personal data in the outbox, the status history or a queued
// message.
func TestDeleteErasesEveryModule(t *testing.T) {
	teststore.Run(t, func(t *testing.T, s store.Store) {
		bucket := memblob.OpenBucket(nil)
		t.Cleanup(func() { bucket.Close() })
		svc, err := app.New(s, app.Options{Bucket: bucket})
		if err != nil {
			t.Fatal(err)
		}
		ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key_test"})
		addr := customer.Address{Street: "350 5th Ave", City: "New York", State: "NY", PostalCode: "10118", Country: "US"}
		c, err := svc.Customers.Create(ctx, customer.Input{Name: "Ada Lovelace", Email: "ada@example.com",
			Phone: "(212) 555-0142", Type: customer.TypeResidential, BillingAddress: &addr, Notes: "Analytical Engine"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Customers.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonNonPayment, Notes: "owes since March"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Customers.Reactivate(ctx, c.ID, customer.ReactivateInput{Notes: "called to say sorry"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Contacts.Create(ctx, c.ID, contact.Input{Name: "Charles Babbage", Email: "charles@example.com",
			Type: contact.TypeEmergency}); err != nil {
			t.Fatal(err)
		}
		d, err := svc.Documents.Upload(ctx, c.ID, document.UploadInput{Name: "Contract", Type: document.TypeContract},
			strings.NewReader("a plain text contract between Ada Lovelace and the ISP"))
		if err != nil {
			t.Fatal(err)
		}

		if _, err := svc.Analytics.IngestTickets(ctx, c.ID, []analytics.TicketInput{
			{TicketID: "T-1", Subject: "Ada cannot reach the engine", OpenedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Analytics.IngestPayments(ctx, c.ID, []analytics.PaymentInput{
			{TransactionID: "TX-1", Amount: 4999, PaidAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), PaymentMethod: analytics.MethodCash,
				Notes: "Ada paid at the counter"}}); err != nil {
			t.Fatal(err)
		}
		checked, _, err := svc.Verify.CheckAddress(ctx, c.ID, verify.AddressInput{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// A message queued for Ada, not sent yet.
		job, err := svc.Bulk.SubmitCommunication(ctx, bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: []string{c.ID}},
			Channel: notify.ChannelEmail, Category: bulk.CategoryService, Subject: "Hello {{.Name}}", Body: "Dear {{.Name}}, about {{.Email}}"})
		if err != nil {
			t.Fatal(err)
		}
		for {
			n, err := svc.Bulk.ProcessDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}

		if err := svc.Customers.Delete(ctx, c.ID, customer.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetVerification(ctx, c.ID, checked.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("an address verification (the address checked) survived the delete: %v", err)
		}
		messages, err := s.ListMessages(ctx, job.ID, "", "", 0)
		if err != nil || len(messages) != 1 {
			t.Fatalf("messages after delete = %+v, %v; want the one queued", messages, err)
		}
		if m := messages[0]; m.Status != bulk.MessageQueued || m.To != crm.Redacted || m.Subject != crm.Redacted || m.Body != crm.Redacted {
			t.Errorf("message after delete = %+v; want it queued, its address, subject and body redacted", m)
		}
		// The senders then skip it: there is nobody left to send it to.
		if _, err := svc.Bulk.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		if m, err := s.GetMessage(ctx, job.ID, messages[0].ID); err != nil || m.Status != bulk.MessageSkipped || m.SkipReason != bulk.SkipClosed {
			t.Errorf("message after delivery = %+v, %v; want it skipped as closed", m, err)
		}

		tickets, err := s.ListTickets(ctx, c.ID)
		if err != nil || len(tickets) != 1 || tickets[0].Subject != crm.Redacted {
			t.Errorf("tickets after delete = %+v, %v; want the one ticket with its subject redacted", tickets, err)
		}
		payments, err := s.ListPayments(ctx, c.ID)
		if err != nil || len(payments) != 1 || payments[0].Amount != 4999 || payments[0].Notes != crm.Redacted {
			t.Errorf("payments after delete = %+v, %v; want the payment kept for the books, its notes redacted", payments, err)
		}

		contacts, err := s.ListContacts(ctx, c.ID, "", "", 0)
		if err != nil || len(contacts) != 0 {
			t.Errorf("contacts after delete = %v, %v; want none", contacts, err)
		}
		if _, err := s.GetDocument(ctx, c.ID, d.ID); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("GetDocument after delete: %v, want not_found", err)
		}
		if objs, _ := bucket.List(nil).Next(ctx); objs != nil {
			t.Errorf("the bucket still holds %s", objs.Key)
		}
		events, err := s.ListEvents(ctx, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) < 5 {
			t.Fatalf("%d events, want the customer's, the contact's and the document's", len(events))
		}
		for _, e := range events {
			var payload map[string]any
			if err := json.Unmarshal(e.Payload, &payload); err != nil {
				t.Fatalf("event %s payload %s: %v", e.Type, e.Payload, err)
			}
			if len(payload) != 2 || payload["customer_id"] != c.ID || payload["id"] == nil {
				t.Errorf("event %s payload after delete = %s, want only id and customer_id", e.Type, e.Payload)
			}
		}
		history, err := s.ListStatusChanges(ctx, c.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(history)
		for _, p := range personal {
			if strings.Contains(string(raw), p) {
				t.Errorf("status history after delete holds %q: %s", p, raw)
			}
		}
		if history[1].Notes != crm.Redacted {
			t.Errorf("suspension notes after delete = %q, want %q", history[1].Notes, crm.Redacted)
		}
	})
}

// TestWithoutBucket leaves the documents module out.
func TestWithoutBucket(t *testing.T) {
	svc, err := app.New(memstore.New(), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Customers == nil || svc.Contacts == nil || svc.Analytics == nil || svc.Documents != nil {
		t.Fatalf("services = %+v, want customers, contacts and analytics without documents", svc)
	}
	if _, err := app.New(nil, app.Options{}); err == nil {
		t.Fatal("app.New(nil) succeeded")
	}
}
