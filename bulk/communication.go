package bulk

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/valid"
)

// Category is what a communication is about; it decides which consent a
// recipient must have given.
type Category string

// The categories, each with the communication preference it needs.
const (
	CategoryMarketing Category = "marketing" // marketing_emails
	CategoryService   Category = "service"   // service_notifications
	CategoryBilling   Category = "billing"   // billing_reminders
	CategoryOutage    Category = "outage"    // outage_alerts
)

// Categories lists every Category.
var Categories = []Category{CategoryMarketing, CategoryService, CategoryBilling, CategoryOutage}

// consents reports whether p allows a message of category c.
func consents(p customer.CommunicationPreferences, c Category) bool {
	switch c {
	case CategoryMarketing:
		return p.MarketingEmails
	case CategoryService:
		return p.ServiceNotifications
	case CategoryBilling:
		return p.BillingReminders
	case CategoryOutage:
		return p.OutageAlerts
	}
	return false
}

// Limits of a communication's templates.
const (
	MaxSubjectLength = 200
	MaxBodyLength    = 64 << 10
	MaxSMSLength     = 1600
)

// CommunicationRequest sends a message to each customer of its Target who
// consents to its Category and has an address for its Channel.
type CommunicationRequest struct {
	Target
	Channel  notify.Channel `json:"channel"`
	Category Category       `json:"category"`
	// Subject (email only) and Body are text/template templates over the
	// customer's fields (see TemplateData): {{.Name}}, {{.AccountNumber}}.
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
	// DryRun counts who would get the message and queues nothing.
	DryRun bool `json:"-"`
}

// TemplateData is what a communication's templates see of a customer: no
// tax id, no notes.
type TemplateData struct {
	ID             string
	AccountNumber  string
	Name           string
	Email          string
	Phone          string
	CustomerType   customer.Type
	Company        string
	BillingAddress customer.Address
	ServiceAddress *customer.Address
	CustomerSince  crm.Date
}

// templateDataOf is c as its templates see it.
func templateDataOf(c *customer.Customer) TemplateData {
	return TemplateData{ID: c.ID, AccountNumber: c.AccountNumber, Name: c.Name, Email: c.Email, Phone: c.Phone,
		CustomerType: c.Type, Company: c.Company, BillingAddress: c.BillingAddress, ServiceAddress: c.ServiceAddress,
		CustomerSince: c.CustomerSince}
}

// sampleCustomer is what a template is trial-rendered with before
// anything is queued.
var sampleCustomer = &customer.Customer{ID: "01890000-0000-7000-8000-000000000000", AccountNumber: "1000000008",
	Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+12125550142", Type: customer.TypeResidential,
	BillingAddress: customer.Address{Street: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"}}

// templates are a communication's parsed subject (nil for SMS) and body.
type templates struct{ subject, body *template.Template }

// parseTemplates parses and trial-renders req's templates. Errors:
// invalid naming subject or body.
func parseTemplates(req *CommunicationRequest) (templates, error) {
	var p crm.Problems
	var t templates
	parse := func(field, text string) *template.Template {
		tmpl, err := template.New(field).Option("missingkey=error").Parse(text)
		if err == nil {
			_, err = render(tmpl, sampleCustomer)
		}
		if err != nil {
			p.Add(field, "is not a valid template: "+err.Error())
			return nil
		}
		return tmpl
	}
	if req.Channel == notify.ChannelEmail {
		t.subject = parse("subject", req.Subject)
	}
	t.body = parse("body", req.Body)
	return t, p.Err()
}

// render executes t over c's template data.
func render(t *template.Template, c *customer.Customer) (string, error) {
	var b strings.Builder
	err := t.Execute(&b, templateDataOf(c))
	return b.String(), err
}

// check validates req and parses its templates.
func (req *CommunicationRequest) check() (*Selection, templates, error) {
	sel, err := req.Target.check()
	if err != nil {
		return nil, templates{}, err
	}
	var p crm.Problems
	if req.Channel != notify.ChannelEmail && req.Channel != notify.ChannelSMS {
		p.Add("channel", valid.EnumMessage(req.Channel == "", []notify.Channel{notify.ChannelEmail, notify.ChannelSMS}))
	}
	if !slices.Contains(Categories, req.Category) {
		p.Add("category", valid.EnumMessage(req.Category == "", Categories))
	}
	switch {
	case req.Channel == notify.ChannelEmail && strings.TrimSpace(req.Subject) == "":
		p.Add("subject", "is required for email")
	case req.Channel == notify.ChannelSMS && req.Subject != "":
		p.Add("subject", "is only for email")
	case len(req.Subject) > MaxSubjectLength:
		p.Addf("subject", "must be at most %d bytes", MaxSubjectLength)
	}
	switch {
	case strings.TrimSpace(req.Body) == "":
		p.Add("body", "is required")
	case req.Channel == notify.ChannelSMS && len(req.Body) > MaxSMSLength:
		p.Addf("body", "must be at most %d bytes for sms", MaxSMSLength)
	case len(req.Body) > MaxBodyLength:
		p.Addf("body", "must be at most %d bytes", MaxBodyLength)
	}
	if err := p.Err(); err != nil {
		return nil, templates{}, err
	}
	t, err := parseTemplates(req)
	return sel, t, err
}

// SubmitCommunication checks req (a template that does not parse or
// render is invalid) and queues it as a job; each customer then gets a
// message in the job's outbox, or is skipped by reason (opted_out,
// no_address, closed), and the senders deliver the messages (see
// DeliverDue). Errors: invalid, not_found (the segment).
func (s *Service) SubmitCommunication(ctx context.Context, req CommunicationRequest) (*Job, error) {
	sel, _, err := req.check()
	if err != nil {
		return nil, err
	}
	req.CustomerIDs = dedupe(req.CustomerIDs)
	return s.queue(ctx, KindCommunication, req.DryRun, &req.Target, sel, req)
}

// communicationKind runs communication jobs: it queues the messages.
type communicationKind struct{ s *Service }

func (k communicationKind) start(_ context.Context, j *Job) (batcher, error) {
	var req CommunicationRequest
	tr, err := k.s.openTarget(j, &req, &req.Target)
	if err != nil {
		return nil, err
	}
	_, t, err := req.check()
	if err != nil {
		return nil, err
	}
	return &communicationBatcher{s: k.s, req: req, tmpl: t, target: tr}, nil
}

// communicationBatcher queues the messages of one claim's run.
type communicationBatcher struct {
	s      *Service
	req    CommunicationRequest
	tmpl   templates
	target *targetReader
}

func (b *communicationBatcher) close() {}

// next queues the next batch's messages in one statement; a message a
// resumed batch queued already is left out.
func (b *communicationBatcher) next(ctx context.Context, r Repository, j *Job) (batchResult, error) {
	batch, cp, err := b.target.next(ctx, b.s.opts.BatchSize)
	if err != nil {
		return batchResult{}, err
	}
	res := batchResult{processed: len(batch), done: cp.End, skipped: map[string]int{}}
	now := b.s.clock()
	var ms []Message
	for _, t := range batch {
		c, missing, err := customerOf(ctx, r, t)
		if err != nil {
			return batchResult{}, err
		}
		if missing != nil {
			// Not a live customer: closed (erased) or never one.
			res.counts.Skipped++
			res.skipped[SkipClosed]++
			continue
		}
		m, rowErr := b.message(j, c, now)
		if rowErr != nil {
			res.counts.Failed++
			res.errs = append(res.errs, RowError{Row: t.n, CustomerID: c.ID, Field: rowErr.Field, Message: rowErr.Message})
			continue
		}
		if m.Status == MessageSkipped {
			res.counts.Skipped++
			res.skipped[m.SkipReason]++
		} else {
			res.counts.Created++
		}
		ms = append(ms, m)
	}
	if len(ms) > 0 {
		if _, err := r.InsertMessages(ctx, ms); err != nil {
			return batchResult{}, err
		}
	}
	b.target.cp = cp
	if res.checkpoint, err = json.Marshal(cp); err != nil {
		return batchResult{}, err
	}
	return res, nil
}

// message is c's message of job j: queued, skipped by reason, or a
// template that failed on c's data.
func (b *communicationBatcher) message(j *Job, c *customer.Customer, now time.Time) (Message, *crm.FieldError) {
	m := Message{ID: crm.NewID(), JobID: j.ID, CustomerID: c.ID, Channel: b.req.Channel, Status: MessageQueued,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	to := c.Email
	if b.req.Channel == notify.ChannelSMS {
		to = c.Phone
	}
	switch {
	case !consents(c.CommunicationPreferences, b.req.Category):
		m.Status, m.SkipReason = MessageSkipped, SkipOptedOut
	case to == "":
		m.Status, m.SkipReason = MessageSkipped, SkipNoAddress
	}
	if m.Status == MessageSkipped {
		return m, nil
	}
	m.To = to
	var err error
	if b.tmpl.subject != nil {
		if m.Subject, err = render(b.tmpl.subject, c); err != nil {
			return m, &crm.FieldError{Field: "subject", Message: err.Error()}
		}
	}
	if m.Body, err = render(b.tmpl.body, c); err != nil {
		return m, &crm.FieldError{Field: "body", Message: err.Error()}
	}
	m.DueAt = &now
	return m, nil
}
