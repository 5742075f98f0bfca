package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// record is one generated customer: what to create, which services to add
// and whether to suspend it afterwards. Dates are kept as offsets from the
// day of seeding, so the same random source always yields the same records.
type record struct {
	Input    customer.Input
	Services []serviceSpec
	Suspend  *suspendSpec
}

// serviceSpec is a service whose dates are relative to the seeding day.
type serviceSpec struct {
	// Input has StartDate and EndDate unset; Seed fills them in.
	Input customer.SubscriptionInput
	// StartDaysAgo is how long ago the service started; negative for an
	// installation scheduled in the future.
	StartDaysAgo int
	// EndDaysAgo, when set, is how long ago the service ended.
	EndDaysAgo *int
}

// suspendSpec is a suspension to apply after the services are added.
type suspendSpec struct {
	Reason customer.SuspensionReason
	Notes  string
	// UntilDays, when positive, schedules automatic reactivation that many
	// days after seeding.
	UntilDays int
}

// typeWeights is the customer mix of a regional ISP: mostly households.
var typeWeights = []struct {
	Type   customer.Type
	Weight float64
}{
	{customer.TypeResidential, 0.70},
	{customer.TypeSmallBusiness, 0.17},
	{customer.TypeEnterprise, 0.05},
	{customer.TypeGovernment, 0.04},
	{customer.TypeNonProfit, 0.04},
}

// suspensionReasons weights why accounts get suspended, with the notes an
// agent would write; only a customer's own request usually has an end date.
var suspensionReasons = []struct {
	Reason customer.SuspensionReason
	Weight float64
	Notes  []string
}{
	{customer.ReasonNonPayment, 0.50, []string{"Invoice 60+ days past due; two reminders sent", "Autopay card declined three times", "Returned check; awaiting payment"}},
	{customer.ReasonCustomerRequest, 0.20, []string{"Seasonal hold while customer is away", "Temporary hold during home renovation", "Customer travelling abroad"}},
	{customer.ReasonAbuse, 0.08, []string{"Repeated copyright infringement notices", "Outbound spam from customer network"}},
	{customer.ReasonFraud, 0.05, []string{"Identity could not be verified", "Chargeback on first payment"}},
	{customer.ReasonCompliance, 0.05, []string{"Pending CALEA documentation", "Export-control screening hold"}},
	{customer.ReasonOther, 0.12, []string{"Equipment returned for replacement", "Service address under review"}},
}

// suspendedShare is the fraction of demo customers that start suspended.
const suspendedShare = 0.10

// generator draws records from rng, keeping emails and phones unique as the
// stores require.
type generator struct {
	rng    *rand.Rand
	phones *phones
	emails map[string]bool
}

// generate returns n records drawn from rng. The first records cycle through
// every customer type so even a small demo shows all of them.
func generate(n int, rng *rand.Rand) ([]record, error) {
	g := &generator{rng: rng, phones: newPhones(), emails: make(map[string]bool)}
	out := make([]record, 0, n)
	for i := range n {
		t := g.customerType()
		if i < len(customer.Types) {
			t = customer.Types[i]
		}
		r, err := g.record(t)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (g *generator) record(t customer.Type) (record, error) {
	p := places[g.rng.IntN(len(places))]
	in := customer.Input{
		Type:             t,
		BillingAddress:   g.address(p),
		PreferredContact: g.contactMethod(),
		CommunicationPreferences: &customer.CommunicationPreferences{
			MarketingEmails:      g.chance(0.3),
			ServiceNotifications: !g.chance(0.05),
			BillingReminders:     !g.chance(0.1),
			OutageAlerts:         !g.chance(0.1),
		},
	}
	var emailLocal, emailDomain string
	first, last := pick(g.rng, FirstNames), pick(g.rng, LastNames)
	switch t {
	case customer.TypeResidential:
		in.Name = first + " " + last
		emailLocal, emailDomain = strings.ToLower(first+"."+last), pick(g.rng, residentialDomains)
		if g.chance(0.85) {
			in.CreditScore = g.creditScore()
		}
		if g.chance(0.3) {
			sa := *in.BillingAddress // said explicitly, as some customers do
			in.ServiceAddress = &sa
		}
	default:
		in.Name, in.Industry = g.organisation(t, last, p.City)
		in.Company = in.Name
		emailLocal, emailDomain = pick(g.rng, []string{"billing", "accounts", "it", "office"}), slug(in.Name)+".example.com"
		if t == customer.TypeSmallBusiness && g.chance(0.7) {
			in.CreditScore = g.creditScore()
		}
		if g.chance(0.3) {
			sa := *g.address(p)
			in.ServiceAddress = &sa
		}
	}
	in.Email = g.email(emailLocal, emailDomain)
	phone, err := g.phones.next(g.rng, p.State)
	if err != nil {
		return record{}, err
	}
	in.Phone = phone
	if g.chance(0.4) {
		ephone, err := g.phones.next(g.rng, p.State)
		if err != nil {
			return record{}, err
		}
		ec := &customer.EmergencyContact{Name: pick(g.rng, FirstNames) + " " + last, Phone: ephone}
		if t == customer.TypeResidential {
			ec.Relationship = pick(g.rng, relationships)
		} else {
			ec.Relationship = pick(g.rng, []string{"owner", "office manager", "facilities manager", "IT director"})
		}
		in.EmergencyContact = ec
	}
	if g.chance(0.1) {
		in.Notes = pick(g.rng, []string{
			"Prefers installation appointments after 5 pm",
			"Dog on premises; call before arrival",
			"Gate code on file with dispatch",
			"Requested paperless billing",
			"Long-time customer; offer loyalty pricing at renewal",
		})
	}
	r := record{Input: in, Services: g.services(t)}
	if g.chance(suspendedShare) {
		r.Suspend = g.suspension()
	}
	return r, nil
}

// organisation returns the name and industry of a non-residential customer.
func (g *generator) organisation(t customer.Type, surname, city string) (name, industry string) {
	switch t {
	case customer.TypeSmallBusiness:
		tr := pick(g.rng, trades)
		return surname + " " + tr.Name + " " + pick(g.rng, smallForms), tr.Industry
	case customer.TypeEnterprise:
		s := pick(g.rng, enterpriseSectors)
		return pick(g.rng, enterprisePrefix) + " " + s.Name + " " + pick(g.rng, enterpriseForms), s.Industry
	case customer.TypeGovernment:
		b := pick(g.rng, govBodies)
		return fmt.Sprintf(b.Pattern, city), b.Industry
	default:
		np := pick(g.rng, nonProfits)
		return fmt.Sprintf(np.Pattern, city), np.Industry
	}
}

// address returns a street address in p, its coordinates jittered around
// the ZIP's centroid by up to about a mile.
func (g *generator) address(p place) *customer.Address {
	a := &customer.Address{
		Street:     fmt.Sprintf("%d %s %s", 100+g.rng.IntN(9800), pick(g.rng, StreetNames), pick(g.rng, StreetSuffixes)),
		City:       p.City,
		State:      p.State,
		PostalCode: p.ZIP,
		Country:    "US",
		Coordinates: &customer.Coordinates{
			Latitude:  round4(p.Lat + (g.rng.Float64()-0.5)*0.03),
			Longitude: round4(p.Lon + (g.rng.Float64()-0.5)*0.03),
		},
	}
	if g.chance(0.2) {
		a.Unit = fmt.Sprintf("%s %d%c", pick(g.rng, []string{"Apt", "Unit", "Suite"}), 1+g.rng.IntN(30), 'A'+rune(g.rng.IntN(4)))
	}
	return a
}

// services returns a customer's services: the current internet lines,
// sometimes a cancelled predecessor (an upgrade) or an add-on taken since
// the line started, rarely an installation still pending.
func (g *generator) services(t customer.Type) []serviceSpec {
	plans := offeredTo(catalogue, t)
	count := 1
	switch t {
	case customer.TypeEnterprise:
		count = 2 + g.rng.IntN(4)
	case customer.TypeSmallBusiness, customer.TypeGovernment, customer.TypeNonProfit:
		count = 1 + g.rng.IntN(2)
	}
	var out []serviceSpec
	for range count {
		p := pick(g.rng, plans)
		start := 30 + g.rng.IntN(8*365) // up to eight years of history
		if g.chance(0.25) {
			// An earlier plan on the same line, cancelled the day before the
			// current one started.
			old := pick(g.rng, plans)
			oldStart, oldEnd := start+180+g.rng.IntN(3*365), start+1
			s := g.service(old, customer.SubscriptionCancelled)
			s.StartDaysAgo, s.EndDaysAgo = oldStart, &oldEnd
			out = append(out, s)
		}
		s := g.service(p, customer.SubscriptionActive)
		s.StartDaysAgo = start
		out = append(out, s)
		if g.chance(0.3) {
			a := addonSpec(pick(g.rng, offeredTo(addons, t)))
			a.StartDaysAgo = 30 + g.rng.IntN(start-29)
			out = append(out, a)
		}
	}
	if g.chance(0.05) {
		s := g.service(pick(g.rng, plans), customer.SubscriptionPending)
		s.StartDaysAgo = -(3 + g.rng.IntN(18))
		out = append(out, s)
	}
	return out
}

// addonSpec returns a as an active service, month to month.
func addonSpec(a addon) serviceSpec {
	price := a.Price
	return serviceSpec{Input: customer.SubscriptionInput{
		PlanName: a.Name, ServiceType: a.Type, Status: customer.SubscriptionActive, MonthlyPrice: &price,
		ContractTerm: customer.TermMonthToMonth,
	}}
}

func (g *generator) service(p plan, status customer.SubscriptionStatus) serviceSpec {
	term := customer.TermMonthToMonth
	switch r := g.rng.Float64(); {
	case p.Business && r < 0.4, !p.Business && r < 0.2:
		term = customer.TermOneYear
	case p.Business && r < 0.7, !p.Business && r < 0.3:
		term = customer.TermTwoYear
	}
	price := p.Price
	if term == customer.TermTwoYear {
		price -= 500 // the usual commitment discount
	}
	return serviceSpec{Input: customer.SubscriptionInput{
		PlanName: p.Name, ServiceType: customer.ServiceInternet, Technology: p.Technology, Status: status, MonthlyPrice: &price,
		ContractTerm: term, BandwidthDownMbps: p.Down, BandwidthUpMbps: p.Up,
	}}
}

func (g *generator) suspension() *suspendSpec {
	x := g.rng.Float64()
	for _, r := range suspensionReasons {
		if x < r.Weight {
			s := &suspendSpec{Reason: r.Reason, Notes: pick(g.rng, r.Notes)}
			if r.Reason == customer.ReasonCustomerRequest {
				s.UntilDays = 14 + g.rng.IntN(90)
			}
			return s
		}
		x -= r.Weight
	}
	return &suspendSpec{Reason: customer.ReasonOther, Notes: "Account review"}
}

func (g *generator) customerType() customer.Type {
	x := g.rng.Float64()
	for _, w := range typeWeights {
		if x < w.Weight {
			return w.Type
		}
		x -= w.Weight
	}
	return customer.TypeResidential
}

func (g *generator) contactMethod() customer.ContactMethod {
	switch x := g.rng.Float64(); {
	case x < 0.55:
		return customer.ContactEmail
	case x < 0.75:
		return customer.ContactSMS
	case x < 0.95:
		return customer.ContactPhone
	default:
		return customer.ContactPostal
	}
}

// creditScore draws a FICO-like score: centred near 715, clamped to 300–850.
func (g *generator) creditScore() *int {
	v := int(math.Round(715 + g.rng.NormFloat64()*70))
	v = min(max(v, 300), 850)
	return &v
}

// email returns local@domain, adding a number to the local part when the
// address is taken.
func (g *generator) email(local, domain string) string {
	for n := 1; ; n++ {
		e := local + "@" + domain
		if n > 1 {
			e = fmt.Sprintf("%s%d@%s", local, n, domain)
		}
		if !g.emails[e] {
			g.emails[e] = true
			return e
		}
	}
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// slug turns an organisation name into a DNS label: "Garcia Plumbing LLC"
// becomes "garcia-plumbing-llc".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 50 {
		s = strings.TrimSuffix(s[:50], "-")
	}
	return s
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// dateDaysAgo returns the calendar date days before today.
func dateDaysAgo(today crm.Date, days int) *crm.Date {
	d := crm.DateOf(today.Time().AddDate(0, 0, -days))
	return &d
}
