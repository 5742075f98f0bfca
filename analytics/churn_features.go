package analytics

import (
	"math"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// The churn features, in the order of a Features vector. Each is computed
// from the Facts by FeaturesOf; none is a protected attribute (no gender,
// age or family status).
var FeatureNames = []string{
	"tenure_months",           // whole months since the earliest service start
	"log_tenure",              // ln(1 + tenure_months): churn falls fastest early on
	"mrr",                     // monthly price of the services held, in currency units
	"historical_revenue",      // succeeded payments minus refunds, in currency units
	"internet_fiber",          // the internet service held is fiber
	"internet_dsl",            // … DSL
	"internet_other",          // … cable, fixed wireless or satellite
	"voice_lines",             // voice services held
	"security",                // one per add-on service type held
	"backup",                  //
	"device_protection",       //
	"tech_support",            //
	"tv",                      //
	"streaming",               //
	"other_services",          // services of type other held
	"contract_one_year",       // the shortest contract term held is one year
	"contract_two_year",       // … two years (month to month is the baseline)
	"paperless_billing",       // the latest invoice went by email
	"method_electronic_check", // the latest payment's method
	"method_check",            //
	"method_card",             // credit or debit card
	"method_bank_transfer",    //
	"autopay",                 // the latest payment was automatic
	"failed_payments_12m",     // Facts.FailedPayments
	"late_payments_12m",       // Facts.LatePayments
	"tickets_90d",             // Facts.RecentTickets
	"open_tickets",            // Facts.OpenTickets
	"suspensions_12m",         // Facts.Suspensions
	"usage_trend",             // UsageChange of the two usage windows, as a fraction, in [-1, 1]
	"satisfaction_gap",        // 3 minus the mean rating of the last 12 months (0 when none)
}

// Features is one customer's churn features, in FeatureNames order.
type Features []float64

// FeaturesOf computes the churn features of f as of asOf (f's instant).
// It is the only place features are computed: live scoring, the sweep and
// the fit all call it.
func FeaturesOf(f *Facts, asOf time.Time) Features {
	x := make(Features, len(FeatureNames))
	day := crm.DateOf(asOf)
	tenure := float64(TenureMonths(f, day))
	x[0], x[1] = tenure, math.Log1p(tenure)
	x[2] = HeldMRR(f, day).Float()
	x[3] = f.HistoricalRevenue.Float()
	var shortest customer.ContractTerm
	for i := range f.Services {
		s := &f.Services[i]
		if !s.HeldOn(day) {
			continue
		}
		if shortest == "" || termRank[s.ContractTerm] < termRank[shortest] {
			shortest = s.ContractTerm
		}
		switch s.Type {
		case customer.ServiceInternet:
			switch s.Technology {
			case customer.TechFiber:
				x[4] = 1
			case customer.TechDSL:
				x[5] = 1
			default:
				x[6] = 1
			}
		case customer.ServiceVoice:
			x[7]++
		case customer.ServiceSecurity:
			x[8] = 1
		case customer.ServiceBackup:
			x[9] = 1
		case customer.ServiceDeviceProtection:
			x[10] = 1
		case customer.ServiceTechSupport:
			x[11] = 1
		case customer.ServiceTV:
			x[12] = 1
		case customer.ServiceStreaming:
			x[13] = 1
		default:
			x[14]++
		}
	}
	switch shortest {
	case customer.TermOneYear:
		x[15] = 1
	case customer.TermTwoYear:
		x[16] = 1
	}
	x[17] = flag(f.LatestDelivery == DeliveryEmail)
	switch f.LatestMethod {
	case MethodElectronicCheck:
		x[18] = 1
	case MethodCheck:
		x[19] = 1
	case MethodCreditCard, MethodDebitCard:
		x[20] = 1
	case MethodBankTransfer:
		x[21] = 1
	}
	x[22] = flag(f.LatestAutopay)
	x[23] = float64(f.FailedPayments)
	x[24] = float64(f.LatePayments)
	x[25] = float64(f.RecentTickets)
	x[26] = float64(f.OpenTickets)
	x[27] = float64(f.Suspensions)
	if c, ok := UsageChange(f.UsageRecent, f.UsagePrior); ok {
		x[28] = math.Max(-1, math.Min(1, c))
	}
	if f.Rated > 0 {
		x[29] = 3 - float64(f.RatingSum)/float64(f.Rated)
	}
	return x
}

// termRank orders contract terms from the shortest.
var termRank = map[customer.ContractTerm]int{customer.TermMonthToMonth: 0, customer.TermOneYear: 1, customer.TermTwoYear: 2}

// TenureMonths is the number of whole calendar months from the customer's
// earliest service start to day; 0 when it has no service.
func TenureMonths(f *Facts, day crm.Date) int {
	var first *crm.Date
	for i := range f.Services {
		if d := f.Services[i].StartDate; first == nil || d.Before(*first) {
			first = &d
		}
	}
	if first == nil || day.Before(*first) {
		return 0
	}
	return MonthsBetween(*first, day)
}

// MonthsBetween is the number of whole calendar months from a to b (b not
// before a): 2025-01-31 to 2025-02-28 is 0 months, to 2025-03-01 one.
func MonthsBetween(a, b crm.Date) int {
	n := (b.Year-a.Year)*12 + int(b.Month) - int(a.Month)
	if b.Day < a.Day {
		n--
	}
	return max(n, 0)
}

// HeldMRR is the monthly price of the services held on day.
func HeldMRR(f *Facts, day crm.Date) crm.Money {
	var m crm.Money
	for i := range f.Services {
		if f.Services[i].HeldOn(day) {
			m += f.Services[i].MonthlyPrice
		}
	}
	return m
}

// UsageChange is the relative change from prior to recent bytes
// ((recent − prior) / prior); ok is false when prior is 0, where no change
// can be measured.
func UsageChange(recent, prior int64) (change float64, ok bool) {
	if prior <= 0 {
		return 0, false
	}
	return float64(recent-prior) / float64(prior), true
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
