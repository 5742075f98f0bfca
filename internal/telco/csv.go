package telco

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ispstack/crm"
)

// Row is what the mapping reads of one Telco row. Gender, SeniorCitizen,
// Partner and Dependents are not read: they are not loaded.
type Row struct {
	CustomerID string
	// Tenure is in months.
	Tenure       int
	PhoneService bool
	// MultipleLines is Yes (a second voice line).
	MultipleLines bool
	// InternetService is "DSL", "Fiber optic" or "No".
	InternetService  string
	OnlineSecurity   bool
	OnlineBackup     bool
	DeviceProtection bool
	TechSupport      bool
	StreamingTV      bool
	StreamingMovies  bool
	// Contract is "Month-to-month", "One year" or "Two year".
	Contract         string
	PaperlessBilling bool
	// PaymentMethod is "Electronic check", "Mailed check", "Bank transfer
	// (automatic)" or "Credit card (automatic)".
	PaymentMethod  string
	MonthlyCharges crm.Money
	// TotalCharges is 0 when the file leaves it blank (a single space, for
	// customers of tenure 0).
	TotalCharges crm.Money
	Churn        bool
}

// columns are the Telco columns Parse reads, found by name in the header.
var columns = []string{"customerID", "tenure", "PhoneService", "MultipleLines", "InternetService", "OnlineSecurity",
	"OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies", "Contract",
	"PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn"}

// ParseFile reads the Telco-format CSV file at path, as Parse does.
func ParseFile(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f)
}

// Parse reads a Telco-format CSV with its header row. Yes/No columns take
// Yes as true and anything else the file uses ("No", "No phone service",
// "No internet service") as false; an unknown InternetService, Contract or
// PaymentMethod, a repeated customerID or a malformed number is an error
// naming the line.
func Parse(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("telco: reading the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range columns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("telco: the header has no %s column", c)
		}
	}
	var rows []Row
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("telco: %w", err)
		}
		row, err := parseRow(func(name string) string { return strings.TrimSpace(rec[col[name]]) })
		if err != nil {
			return nil, fmt.Errorf("telco: line %d: %w", line, err)
		}
		if seen[row.CustomerID] {
			return nil, fmt.Errorf("telco: line %d: customerID %s repeats", line, row.CustomerID)
		}
		seen[row.CustomerID] = true
		rows = append(rows, row)
	}
}

// parseRow reads one row through get, which returns a column's trimmed
// value.
func parseRow(get func(string) string) (Row, error) {
	yes := func(name string) bool { return get(name) == "Yes" }
	r := Row{
		CustomerID: get("customerID"), PhoneService: yes("PhoneService"), MultipleLines: yes("MultipleLines"),
		InternetService: get("InternetService"), OnlineSecurity: yes("OnlineSecurity"), OnlineBackup: yes("OnlineBackup"),
		DeviceProtection: yes("DeviceProtection"), TechSupport: yes("TechSupport"), StreamingTV: yes("StreamingTV"),
		StreamingMovies: yes("StreamingMovies"), Contract: get("Contract"), PaperlessBilling: yes("PaperlessBilling"),
		PaymentMethod: get("PaymentMethod"), Churn: yes("Churn"),
	}
	if r.CustomerID == "" {
		return r, fmt.Errorf("customerID is empty")
	}
	var err error
	if r.Tenure, err = strconv.Atoi(get("tenure")); err != nil || r.Tenure < 0 {
		return r, fmt.Errorf("tenure %q is not a number of months", get("tenure"))
	}
	if r.MonthlyCharges, err = crm.ParseMoney(get("MonthlyCharges")); err != nil || r.MonthlyCharges < 0 {
		return r, fmt.Errorf("MonthlyCharges %q is not an amount", get("MonthlyCharges"))
	}
	if s := get("TotalCharges"); s != "" {
		if r.TotalCharges, err = crm.ParseMoney(s); err != nil || r.TotalCharges < 0 {
			return r, fmt.Errorf("TotalCharges %q is not an amount", s)
		}
	}
	if _, ok := technologies[r.InternetService]; !ok {
		return r, fmt.Errorf("InternetService %q is not DSL, Fiber optic or No", r.InternetService)
	}
	if _, ok := contracts[r.Contract]; !ok {
		return r, fmt.Errorf("Contract %q is not Month-to-month, One year or Two year", r.Contract)
	}
	if _, ok := methods[r.PaymentMethod]; !ok {
		return r, fmt.Errorf("PaymentMethod %q is not one of the four Telco methods", r.PaymentMethod)
	}
	if !r.PhoneService && r.InternetService == "No" {
		return r, fmt.Errorf("customer %s has neither phone nor internet service", r.CustomerID)
	}
	if r.Tenure > 0 && r.TotalCharges < crm.Money(r.Tenure) {
		return r, fmt.Errorf("TotalCharges %s cannot pay %d months", r.TotalCharges, r.Tenure)
	}
	return r, nil
}
