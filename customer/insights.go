package customer

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// BalanceSource reports what a customer owes. The billing read model plugs
// in here; without one nothing is owed.
type BalanceSource interface {
	// Balance returns the amount the customer owes (positive) or holds as
	// credit (negative).
	Balance(ctx context.Context, customerID string) (crm.Money, error)
}

// Insights fills the parts of a customer's details that other modules
// know: the standing with billing, figures about the relationship and the
// helpdesk's tickets. The customer package only defines their shapes; a
// module fed by billing, usage and support systems implements Insights over
// its read models and is plugged in through Options.Insights, so customer
// never depends on it. Each method returns a non-nil value or an error.
type Insights interface {
	// Insight computes the customer's billing summary and account metrics
	// now (Insight documents what it leaves to the details).
	Insight(ctx context.Context, c *Customer) (*Insight, error)
	// SupportTickets returns the customer's support tickets, newest first.
	SupportTickets(ctx context.Context, c *Customer) ([]SupportTicket, error)
}

// Insight is a customer's billing summary and account metrics as of
// ComputedAt. A module that keeps them per customer has the store return
// them with the customer (Repository.GetCustomerDetails), so the hot
// detail read computes nothing. Two figures are the details' own:
// Metrics.MonthlyRecurringRevenue is not kept (the details take it from
// the customer's active services as read), and a zero
// Metrics.CustomerSince (a customer with no service) shows the customer's
// customer_since, as does one later than it.
type Insight struct {
	Billing    BillingSummary `json:"billing"`
	Metrics    AccountMetrics `json:"metrics"`
	ComputedAt time.Time      `json:"computed_at"`
}

// RecordInsights are the Insights of the customer record alone, used when
// no module supplies better: the balance from Balances (none owed when
// nil), the customer's creation as its start, no payment facts, no scores
// and no tickets. Nothing is invented.
type RecordInsights struct {
	// Balances, when set, gives the current balance.
	Balances BalanceSource
}

// Insight returns the balance and the customer's start.
func (r RecordInsights) Insight(ctx context.Context, c *Customer) (*Insight, error) {
	in := &Insight{Metrics: AccountMetrics{CustomerSince: c.CustomerSince}}
	if r.Balances != nil {
		var err error
		if in.Billing.CurrentBalance, err = r.Balances.Balance(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// SupportTickets returns no tickets: the record knows of none.
func (RecordInsights) SupportTickets(context.Context, *Customer) ([]SupportTicket, error) {
	return []SupportTicket{}, nil
}

// BillingSummary is the customer's standing with billing.
type BillingSummary struct {
	CurrentBalance    crm.Money  `json:"current_balance"`
	LastPaymentDate   *crm.Date  `json:"last_payment_date"`
	LastPaymentAmount *crm.Money `json:"last_payment_amount"`
	PaymentMethod     *string    `json:"payment_method"`
	AutoPayEnabled    bool       `json:"auto_pay_enabled"`
	CreditLimit       *crm.Money `json:"credit_limit"`
}

// AccountMetrics are figures about the relationship, computed from the data
// that exists: scores without a model or survey behind them are null.
type AccountMetrics struct {
	CustomerSince           crm.Date  `json:"customer_since"`
	LifetimeValue           crm.Money `json:"lifetime_value"`
	MonthlyRecurringRevenue crm.Money `json:"monthly_recurring_revenue"`
	ChurnRiskScore          *float64  `json:"churn_risk_score"`
	SatisfactionScore       *float64  `json:"satisfaction_score"`
	SupportTicketsCount     int       `json:"support_tickets_count"`
}

// SupportTicket is a support ticket of the customer, fed by the helpdesk.
type SupportTicket struct {
	ID        string    `json:"id"`
	Subject   string    `json:"subject"`
	Status    string    `json:"status"`
	Priority  string    `json:"priority"`
	CreatedAt time.Time `json:"created_at"`
}
