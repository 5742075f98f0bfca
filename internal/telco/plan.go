package telco

import (
	"fmt"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// Plan is what one Telco row becomes through the API.
type Plan struct {
	// Row is the row the plan maps.
	Row      Row
	Customer customer.Input
	// Services are, in order: the internet service, the first and second
	// voice lines, security, backup, device protection, tech support, TV
	// and streaming, each present only when the row has it.
	Services []customer.SubscriptionInput
	// Invoices and Payments are INV-1 … INV-tenure and TX-1 … TX-tenure.
	Invoices []analytics.InvoiceInput
	Payments []analytics.PaymentInput
}

// The prices of the fixed-price services: every add-on and the second
// voice line cost AddOnPrice, TV and streaming StreamingPrice. The rest of
// MonthlyCharges goes to the internet service, or to the first voice line
// when there is none.
const (
	AddOnPrice     crm.Money = 500
	StreamingPrice crm.Money = 1000
)

// The mapped days: an invoice is due DueDays after it is issued and paid
// PaidDays after.
const (
	DueDays  = 14
	PaidDays = 7
)

// The Telco values and what they map to.
var (
	technologies = map[string]customer.Technology{"DSL": customer.TechDSL, "Fiber optic": customer.TechFiber, "No": ""}
	contracts    = map[string]customer.ContractTerm{
		"Month-to-month": customer.TermMonthToMonth, "One year": customer.TermOneYear, "Two year": customer.TermTwoYear,
	}
	methods = map[string]struct {
		method  analytics.PaymentMethod
		autopay bool
	}{
		"Electronic check":          {analytics.MethodElectronicCheck, false},
		"Mailed check":              {analytics.MethodCheck, false},
		"Bank transfer (automatic)": {analytics.MethodBankTransfer, true},
		"Credit card (automatic)":   {analytics.MethodCreditCard, true},
	}
)

// PlanOf maps r as of today: every service starts tenure months before
// today (AddMonths), and invoice k is issued k − 1 months after that.
// The customer's phone number is Phone(r.CustomerID, 0).
func PlanOf(r Row, today crm.Date) Plan {
	p := Plan{Row: r, Customer: Identity(r.CustomerID, 0)}
	start := AddMonths(today, -r.Tenure)
	p.Services = services(r, start)
	if r.Tenure == 0 {
		return p
	}
	delivery := analytics.DeliveryPostal
	if r.PaperlessBilling {
		delivery = analytics.DeliveryEmail
	}
	m := methods[r.PaymentMethod]
	each := divRound(int64(r.TotalCharges), int64(r.Tenure))
	for k := 1; k <= r.Tenure; k++ {
		amount := crm.Money(each)
		if k == r.Tenure { // the last absorbs the rounding
			amount = r.TotalCharges - crm.Money(each)*crm.Money(r.Tenure-1)
		}
		issued := AddMonths(start, k-1)
		p.Invoices = append(p.Invoices, analytics.InvoiceInput{
			InvoiceID: fmt.Sprintf("INV-%d", k), IssuedAt: issued, DueDate: addDays(issued, DueDays),
			Amount: &amount, Status: analytics.InvoicePaid, Delivery: delivery,
		})
		p.Payments = append(p.Payments, analytics.PaymentInput{
			TransactionID: fmt.Sprintf("TX-%d", k), Amount: amount, PaidAt: addDays(issued, PaidDays).Time(),
			PaymentMethod: m.method, Autopay: m.autopay, Status: analytics.PaymentSucceeded, InvoiceID: fmt.Sprintf("INV-%d", k),
		})
	}
	return p
}

// Plans maps every row as PlanOf does, then gives each customer whose
// phone number an earlier row already took the next of its Phone
// candidates, so the plans' phone numbers are distinct.
func Plans(rows []Row, today crm.Date) []Plan {
	plans := make([]Plan, len(rows))
	used := map[string]bool{}
	for i, r := range rows {
		plans[i] = PlanOf(r, today)
		for a := 1; used[plans[i].Customer.Phone]; a++ {
			plans[i].Customer.Phone = Phone(r.CustomerID, a)
		}
		used[plans[i].Customer.Phone] = true
	}
	return plans
}

// services maps the row's services, all starting on start with the row's
// contract term.
func services(r Row, start crm.Date) []customer.SubscriptionInput {
	type svc struct {
		name  string
		typ   customer.ServiceType
		tech  customer.Technology
		price crm.Money // the first service's is the rest, set below
	}
	var list []svc
	if tech := technologies[r.InternetService]; tech != "" {
		list = append(list, svc{r.InternetService + " internet", customer.ServiceInternet, tech, 0})
	}
	if r.PhoneService {
		list = append(list, svc{"Phone line", customer.ServiceVoice, "", 0})
		if r.MultipleLines {
			list = append(list, svc{"Second phone line", customer.ServiceVoice, "", AddOnPrice})
		}
	}
	for _, a := range []struct {
		has   bool
		name  string
		typ   customer.ServiceType
		price crm.Money
	}{
		{r.OnlineSecurity, "Online security", customer.ServiceSecurity, AddOnPrice},
		{r.OnlineBackup, "Online backup", customer.ServiceBackup, AddOnPrice},
		{r.DeviceProtection, "Device protection", customer.ServiceDeviceProtection, AddOnPrice},
		{r.TechSupport, "Tech support", customer.ServiceTechSupport, AddOnPrice},
		{r.StreamingTV, "Streaming TV", customer.ServiceTV, StreamingPrice},
		{r.StreamingMovies, "Streaming movies", customer.ServiceStreaming, StreamingPrice},
	} {
		if a.has {
			list = append(list, svc{a.name, a.typ, "", a.price})
		}
	}
	// The first service (internet, else the first voice line) takes the
	// rest; a first voice line beside internet has no price of its own.
	prices := make([]crm.Money, len(list))
	var fixed crm.Money
	for i := 1; i < len(list); i++ {
		prices[i] = list[i].price
		fixed += prices[i]
	}
	if fixed > r.MonthlyCharges {
		// Scale the fixed prices down (rounding down) so they fit.
		total := fixed
		fixed = 0
		for i := 1; i < len(list); i++ {
			prices[i] = crm.Money(int64(prices[i]) * int64(r.MonthlyCharges) / int64(total))
			fixed += prices[i]
		}
	}
	prices[0] = r.MonthlyCharges - fixed
	contract := contracts[r.Contract]
	out := make([]customer.SubscriptionInput, len(list))
	for i, s := range list {
		out[i] = customer.SubscriptionInput{PlanName: s.name, ServiceType: s.typ, Technology: s.tech,
			MonthlyPrice: &prices[i], ContractTerm: contract, StartDate: &start}
	}
	return out
}
