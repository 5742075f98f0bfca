package telco_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/telco"
	"github.com/ispstack/crm/internal/valid"
)

const header = "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService," +
	"OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling," +
	"PaymentMethod,MonthlyCharges,TotalCharges,Churn\n"

func parse(t *testing.T, lines ...string) ([]telco.Row, error) {
	t.Helper()
	return telco.Parse(strings.NewReader(header + strings.Join(lines, "\n") + "\n"))
}

func TestParse(t *testing.T) {
	rows, err := parse(t,
		"7590-VHVEG,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85,No",
		"3115-CZMZD,Male,0,No,Yes,0,Yes,No,No,No internet service,No internet service,No internet service,No internet service,No internet service,No internet service,Two year,No,Mailed check,20.25, ,No",
		"9305-CDSKC,Female,0,No,No,8,Yes,Yes,Fiber optic,No,No,Yes,No,Yes,Yes,Month-to-month,Yes,Electronic check,99.65,820.5,Yes")
	if err != nil {
		t.Fatal(err)
	}
	want := []telco.Row{
		{CustomerID: "7590-VHVEG", Tenure: 1, InternetService: "DSL", OnlineBackup: true, Contract: "Month-to-month",
			PaperlessBilling: true, PaymentMethod: "Electronic check", MonthlyCharges: 2985, TotalCharges: 2985},
		{CustomerID: "3115-CZMZD", PhoneService: true, InternetService: "No", Contract: "Two year",
			PaymentMethod: "Mailed check", MonthlyCharges: 2025},
		{CustomerID: "9305-CDSKC", Tenure: 8, PhoneService: true, MultipleLines: true, InternetService: "Fiber optic",
			DeviceProtection: true, StreamingTV: true, StreamingMovies: true, Contract: "Month-to-month", PaperlessBilling: true,
			PaymentMethod: "Electronic check", MonthlyCharges: 9965, TotalCharges: 82050, Churn: true},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	ok := "7590-VHVEG,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85,No"
	for name, line := range map[string]string{
		"repeated id":   ok + "\n" + ok,
		"bad tenure":    strings.Replace(ok, ",1,No,", ",x,No,", 1),
		"bad contract":  strings.Replace(ok, "Month-to-month", "Weekly", 1),
		"bad method":    strings.Replace(ok, "Electronic check", "Bitcoin", 1),
		"bad internet":  strings.Replace(ok, ",DSL,", ",Cable,", 1),
		"bad amount":    strings.Replace(ok, "29.85,29.85", "29.855,29.85", 1),
		"no total":      strings.Replace(ok, "29.85,29.85", "29.85, ", 1),
		"no service":    strings.Replace(ok, ",DSL,", ",No,", 1),
		"short line":    "7590-VHVEG,Female",
		"empty id":      strings.Replace(ok, "7590-VHVEG", "", 1),
		"negative rate": strings.Replace(ok, "29.85,29.85", "-29.85,29.85", 1),
	} {
		if _, err := parse(t, line); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := telco.Parse(strings.NewReader("customerID,tenure\nA,1\n")); err == nil {
		t.Error("a header without the Telco columns parsed")
	}
}

func money(m crm.Money) *crm.Money { return &m }

func TestPlanOf(t *testing.T) {
	today := crm.Date{Year: 2026, Month: time.March, Day: 31}
	start := crm.Date{Year: 2026, Month: time.January, Day: 31}
	row := telco.Row{CustomerID: "9305-CDSKC", Tenure: 2, PhoneService: true, MultipleLines: true, InternetService: "Fiber optic",
		DeviceProtection: true, StreamingTV: true, StreamingMovies: true, Contract: "One year", PaperlessBilling: false,
		PaymentMethod: "Credit card (automatic)", MonthlyCharges: 9965, TotalCharges: 20001}
	p := telco.PlanOf(row, today)
	sub := func(name string, typ customer.ServiceType, tech customer.Technology, price crm.Money) customer.SubscriptionInput {
		return customer.SubscriptionInput{PlanName: name, ServiceType: typ, Technology: tech, MonthlyPrice: money(price),
			ContractTerm: customer.TermOneYear, StartDate: &start}
	}
	// 99.65 − 5 (second line) − 5 (device protection) − 10 (TV) − 10
	// (streaming) = 69.65 for the internet; the first line has no price.
	wantServices := []customer.SubscriptionInput{
		sub("Fiber optic internet", customer.ServiceInternet, customer.TechFiber, 6965),
		sub("Phone line", customer.ServiceVoice, "", 0),
		sub("Second phone line", customer.ServiceVoice, "", 500),
		sub("Device protection", customer.ServiceDeviceProtection, "", 500),
		sub("Streaming TV", customer.ServiceTV, "", 1000),
		sub("Streaming movies", customer.ServiceStreaming, "", 1000),
	}
	if diff := cmp.Diff(wantServices, p.Services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	// 200.01 / 2 = 100.005, rounded to 100.01; the last takes 100.00.
	feb28 := crm.Date{Year: 2026, Month: time.February, Day: 28}
	wantInvoices := []analytics.InvoiceInput{
		{InvoiceID: "INV-1", IssuedAt: start, DueDate: crm.Date{Year: 2026, Month: time.February, Day: 14}, Amount: money(10001),
			Status: analytics.InvoicePaid, Delivery: analytics.DeliveryPostal},
		{InvoiceID: "INV-2", IssuedAt: feb28, DueDate: crm.Date{Year: 2026, Month: time.March, Day: 14}, Amount: money(10000),
			Status: analytics.InvoicePaid, Delivery: analytics.DeliveryPostal},
	}
	if diff := cmp.Diff(wantInvoices, p.Invoices); diff != "" {
		t.Errorf("invoices (-want +got):\n%s", diff)
	}
	wantPayments := []analytics.PaymentInput{
		{TransactionID: "TX-1", Amount: 10001, PaidAt: time.Date(2026, 2, 7, 0, 0, 0, 0, time.UTC), PaymentMethod: analytics.MethodCreditCard,
			Autopay: true, Status: analytics.PaymentSucceeded, InvoiceID: "INV-1"},
		{TransactionID: "TX-2", Amount: 10000, PaidAt: time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), PaymentMethod: analytics.MethodCreditCard,
			Autopay: true, Status: analytics.PaymentSucceeded, InvoiceID: "INV-2"},
	}
	if diff := cmp.Diff(wantPayments, p.Payments); diff != "" {
		t.Errorf("payments (-want +got):\n%s", diff)
	}
	c := p.Customer
	if c.Email != "9305-CDSKC@example.com" || c.Type != customer.TypeResidential || c.Phone != telco.Phone("9305-CDSKC", 0) ||
		c.BillingAddress.State != "CA" || c.BillingAddress.Country != "US" || c.Name == "" || c.BillingAddress.Street == "" {
		t.Errorf("customer %+v, address %+v", c, *c.BillingAddress)
	}
	if again := telco.PlanOf(row, today); !cmp.Equal(again.Customer, c) {
		t.Error("the same row mapped to another customer")
	}
}

func TestPlanOfPricesAndMethods(t *testing.T) {
	today := crm.Date{Year: 2026, Month: time.November, Day: 1}
	for _, tt := range []struct {
		name   string
		row    telco.Row
		prices []crm.Money
	}{
		// No internet: the first voice line takes the rest.
		{"phone only", telco.Row{PhoneService: true, MultipleLines: true, InternetService: "No", MonthlyCharges: 2490}, []crm.Money{1990, 500}},
		// The second line (5.00) does not fit in 3.00: scaled to 3.00.
		{"scaled line", telco.Row{PhoneService: true, MultipleLines: true, InternetService: "No", MonthlyCharges: 300}, []crm.Money{0, 300}},
		// Add-ons of 40.00 in 20.00: halved, the internet gets nothing.
		{"scaled add-ons", telco.Row{InternetService: "DSL", OnlineSecurity: true, OnlineBackup: true, DeviceProtection: true,
			TechSupport: true, StreamingTV: true, StreamingMovies: true, MonthlyCharges: 2000}, []crm.Money{0, 250, 250, 250, 250, 500, 500}},
		// 7.00 over 15.00 of add-ons: each rounded down, the rest (0.01) to
		// the internet.
		{"scaled with rounding", telco.Row{InternetService: "DSL", OnlineSecurity: true, StreamingTV: true, MonthlyCharges: 700},
			[]crm.Money{1, 233, 466}},
	} {
		tt.row.CustomerID, tt.row.Contract, tt.row.PaymentMethod = "0001-AAAAA", "Two year", "Mailed check"
		p := telco.PlanOf(tt.row, today)
		var got []crm.Money
		var sum crm.Money
		for _, s := range p.Services {
			got, sum = append(got, *s.MonthlyPrice), sum+*s.MonthlyPrice
			if s.ContractTerm != customer.TermTwoYear || *s.StartDate != today {
				t.Errorf("%s: service %s, %s", tt.name, s.ContractTerm, s.StartDate)
			}
		}
		if !cmp.Equal(got, tt.prices) || sum != tt.row.MonthlyCharges {
			t.Errorf("%s: prices %v, want %v (sum %s)", tt.name, got, tt.prices, tt.row.MonthlyCharges)
		}
		if len(p.Invoices) != 0 || len(p.Payments) != 0 {
			t.Errorf("%s: tenure 0 has invoices or payments", tt.name)
		}
	}
	for method, want := range map[string]struct {
		m       analytics.PaymentMethod
		autopay bool
	}{
		"Electronic check": {analytics.MethodElectronicCheck, false}, "Mailed check": {analytics.MethodCheck, false},
		"Bank transfer (automatic)": {analytics.MethodBankTransfer, true}, "Credit card (automatic)": {analytics.MethodCreditCard, true},
	} {
		p := telco.PlanOf(telco.Row{CustomerID: "0001-AAAAA", Tenure: 1, InternetService: "DSL", Contract: "One year", PaymentMethod: method,
			PaperlessBilling: true, MonthlyCharges: 5000, TotalCharges: 5000}, today)
		if pay := p.Payments[0]; pay.PaymentMethod != want.m || pay.Autopay != want.autopay || p.Invoices[0].Delivery != analytics.DeliveryEmail {
			t.Errorf("%s: %s autopay %v, delivery %s", method, pay.PaymentMethod, pay.Autopay, p.Invoices[0].Delivery)
		}
	}
}

func TestAddMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) crm.Date { return crm.Date{Year: y, Month: m, Day: day} }
	for _, tt := range []struct {
		from crm.Date
		n    int
		want crm.Date
	}{
		{d(2026, time.March, 31), -1, d(2026, time.February, 28)},
		{d(2024, time.March, 31), -1, d(2024, time.February, 29)},
		{d(2026, time.January, 31), 1, d(2026, time.February, 28)},
		{d(2026, time.November, 15), -72, d(2020, time.November, 15)},
		{d(2026, time.May, 31), -2, d(2026, time.March, 31)},
		{d(2026, time.May, 31), 0, d(2026, time.May, 31)},
	} {
		got := telco.AddMonths(tt.from, tt.n)
		if got != tt.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
		if tt.n < 0 && analytics.MonthsBetween(got, tt.from) != -tt.n {
			t.Errorf("%s is %d whole months before %s, want %d", got, analytics.MonthsBetween(got, tt.from), tt.from, -tt.n)
		}
	}
}

func TestPhones(t *testing.T) {
	seen := map[string]bool{}
	for a := range 200 {
		ph := telco.Phone("7590-VHVEG", a)
		var p crm.Problems
		if got := valid.Phone(&p, "phone", ph, "US", true); p.Err() != nil || got != ph {
			t.Fatalf("candidate %d, %s: %v", a, ph, p.Err())
		}
		if seen[ph] {
			t.Fatalf("candidate %d repeats %s", a, ph)
		}
		seen[ph] = true
	}
	if !strings.HasSuffix(telco.Phone("7590-VHVEG", 0), "5557590") {
		t.Errorf("phone %s does not end in the id's digits", telco.Phone("7590-VHVEG", 0))
	}
	// Two ids whose first candidates collide get distinct numbers from
	// Plans, the first keeping its own.
	first := telco.Phone("0001-AAAAA", 0)
	other := ""
	for c := 'B'; c <= 'Z' && other == ""; c++ {
		for c2 := 'A'; c2 <= 'Z'; c2++ {
			if id := "0001-AAA" + string(c) + string(c2); telco.Phone(id, 0) == first {
				other = id
				break
			}
		}
	}
	if other == "" {
		t.Fatal("no colliding id found")
	}
	row := func(id string) telco.Row {
		return telco.Row{CustomerID: id, InternetService: "DSL", Contract: "One year", PaymentMethod: "Mailed check", MonthlyCharges: 5000}
	}
	plans := telco.Plans([]telco.Row{row("0001-AAAAA"), row(other)}, crm.Date{Year: 2026, Month: time.November, Day: 1})
	if plans[0].Customer.Phone != first || plans[1].Customer.Phone == first || plans[1].Customer.Phone != telco.Phone(other, 1) {
		t.Errorf("phones %s and %s", plans[0].Customer.Phone, plans[1].Customer.Phone)
	}
}
