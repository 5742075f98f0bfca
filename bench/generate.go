package main

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/demo"
)

// placesTSV is a deterministic sample of US ZIP codes with their place,
// state and coordinates. Postal code data © GeoNames, CC-BY 4.0.
//
//go:embed places.tsv
var placesTSV string

// place is one US ZIP code and where it is.
type place struct {
	zip, city, state string
	lat, lon         float64
}

// parsePlaces reads placesTSV.
func parsePlaces() ([]place, error) {
	var out []place
	for n, line := range strings.Split(placesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("places.tsv line %d: want 5 fields", n+1)
		}
		lat, err1 := strconv.ParseFloat(f[3], 64)
		lon, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("places.tsv line %d: bad coordinates", n+1)
		}
		out = append(out, place{zip: f[0], city: f[1], state: f[2], lat: lat, lon: lon})
	}
	return out, nil
}

// generatorVersion changes whenever generated rows change meaning, so an
// old bench database is reloaded instead of reused.
const generatorVersion = 2

// generator makes realistic, valid customers deterministically from an
// index (emails on reserved example domains; phone numbers in real US area
// codes, since 1M unique numbers that libphonenumber accepts do not fit in
// the fictional 555-01xx range): the same index always gives the same customer (apart from the
// tax-id ciphertext, whose nonce is random), distinct indexes never share an
// email, phone or account number, and each customer is in the normalised
// form customer.Service would store.
type generator struct {
	places     []place
	phonePairs []int // valid NPA*1000+NXX pairs
	phoneMul   uint64
	taxIDs     *customer.TaxIDCipher
	start      time.Time     // created_at of index 0
	step       time.Duration // created_at distance between consecutive indexes
	end        time.Time     // the latest created_at / updated_at
	seed       uint64
}

// accountSpace is the number of nine-digit account-number bodies.
const accountSpace = 900_000_000

// accountMul spreads consecutive indexes over the account-number space; it
// is coprime with accountSpace (2^8·3^2·5^8), so the map is one to one.
const accountMul = 104_729

// newGenerator returns a generator whose n customers were created over the
// years up to end.
func newGenerator(n int, end time.Time, taxIDs *customer.TaxIDCipher) (*generator, error) {
	places, err := parsePlaces()
	if err != nil {
		return nil, err
	}
	g := &generator{places: places, taxIDs: taxIDs, end: end.UTC().Truncate(time.Microsecond), seed: 0x6372_6d62_656e_6368}
	const span = 6 * 365 * 24 * time.Hour
	g.start = g.end.Add(-span)
	g.step = span / time.Duration(max(n, 1))
	for _, npa := range areaCodes {
		for nxx := 200; nxx < 1000; nxx++ {
			if nxx%100 == 11 || nxx == 555 || nxx == 958 || nxx == 959 || nxx == 976 {
				continue // service codes and reserved exchanges
			}
			g.phonePairs = append(g.phonePairs, npa*1000+nxx)
		}
	}
	// A multiplier coprime with the phone space makes the index → number
	// map one to one while scattering neighbours.
	space := uint64(len(g.phonePairs)) * 10_000
	for g.phoneMul = 7_919; gcd(g.phoneMul, space) != 1; g.phoneMul += 2 {
	}
	return g, nil
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// rng returns the random source of index i.
func (g *generator) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, uint64(i)))
}

// phone returns the E.164 phone number of index i, unique per index.
func (g *generator) phone(i int) string {
	space := uint64(len(g.phonePairs)) * 10_000
	k := (uint64(i)*g.phoneMul + 1_234_567) % space
	pair := g.phonePairs[k%uint64(len(g.phonePairs))]
	line := k / uint64(len(g.phonePairs))
	return fmt.Sprintf("+1%06d%04d", pair, line)
}

// accountNumber returns the account number of index i: nine digits and a
// Luhn check digit, as customer.ValidAccountNumber wants, unique per index.
func accountNumber(i int) string {
	body := strconv.FormatUint(100_000_000+(uint64(i)*accountMul+7_654_321)%accountSpace, 10)
	return body + string(rune('0'+luhn(body)))
}

// luhn computes the Luhn check digit of a string of digits.
func luhn(body string) int {
	sum, double := 0, true
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

// uuidV7 returns a UUIDv7 for the millisecond of t, its random bits taken
// from r, so ids sort by creation time as the service's do.
func uuidV7(t time.Time, r *rand.Rand) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(b[8:], r.Uint64())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	rb := r.Uint32()
	b[6] = 0x70 | byte(rb>>8)&0x0f
	b[7] = byte(rb)
	b[8] = 0x80 | b[8]&0x3f
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// customer returns the customer of index i as stored (closed customers
// erased, suspended ones with their suspension), and the clear digits of its
// tax id ("" when it has none), for requests that create it through the API.
func (g *generator) customer(i int) (*customer.Customer, string, error) {
	r := g.rng(i)
	created := g.start.Add(time.Duration(i)*g.step + time.Duration(r.Int64N(int64(g.step)+1))).Truncate(time.Microsecond)
	if created.After(g.end) {
		created = g.end
	}
	c := &customer.Customer{
		ID:            uuidV7(created, r),
		AccountNumber: accountNumber(i),
		Phone:         g.phone(i),
		Status:        customer.StatusActive,
		CustomerSince: crm.DateOf(created),
		Version:       1,
		CreatedAt:     created,
		UpdatedAt:     created,
	}
	switch x := r.Float64(); {
	case x < 0.80:
		c.Type = customer.TypeResidential
	case x < 0.94:
		c.Type = customer.TypeSmallBusiness
	case x < 0.97:
		c.Type = customer.TypeEnterprise
	case x < 0.985:
		c.Type = customer.TypeGovernment
	default:
		c.Type = customer.TypeNonProfit
	}
	p := pick(r, g.places)
	c.BillingAddress = g.address(r, p)
	first, last := pick(r, demo.FirstNames), pick(r, demo.LastNames)
	if c.Type == customer.TypeResidential {
		c.Name = first + " " + last
		if r.IntN(8) == 0 {
			c.Name = first + " " + string(rune('A'+r.IntN(26))) + ". " + last
		}
		local := strings.ToLower(first) + "." + strings.ToLower(last)
		if r.IntN(3) == 0 {
			local = strings.ToLower(first[:1] + last)
		}
		c.Email = local + strconv.Itoa(i) + "@" + pick(r, mailDomains)
	} else {
		c.Name = g.orgName(r, c.Type, last, p)
		c.Company = c.Name
		c.Industry = pick(r, industries[c.Type])
		c.Email = pick(r, orgMailboxes) + strconv.Itoa(i) + "@" + slug(c.Name) + ".example"
	}
	if r.IntN(12) == 0 {
		sa := g.address(r, p)
		c.ServiceAddress = &sa
	}
	if r.Float64() < byType(c.Type, 0.88, 0.6) {
		score := int(math.Round(r.NormFloat64()*75 + 695))
		score = min(max(score, 300), 850)
		c.CreditScore = &score
	}
	switch x := r.Float64(); {
	case x < 0.55:
		c.PreferredContact = customer.ContactEmail
	case x < 0.75:
		c.PreferredContact = customer.ContactPhone
	case x < 0.93:
		c.PreferredContact = customer.ContactSMS
	default:
		c.PreferredContact = customer.ContactPostal
	}
	c.CommunicationPreferences = customer.CommunicationPreferences{
		MarketingEmails:      r.IntN(10) < 3,
		ServiceNotifications: r.IntN(20) > 0,
		BillingReminders:     r.IntN(10) > 0,
		OutageAlerts:         r.IntN(20) < 17,
	}
	if c.Type == customer.TypeResidential && r.IntN(4) == 0 {
		ec := &customer.EmergencyContact{
			Name:         pick(r, demo.FirstNames) + " " + last,
			Relationship: pick(r, relationships),
			Phone:        g.phone(i + 500_000_000),
		}
		if r.IntN(2) == 0 {
			ec.Email = strings.ToLower(ec.Name[:1]+last) + strconv.Itoa(i) + "@" + pick(r, mailDomains)
		}
		c.EmergencyContact = ec
	}
	if r.IntN(12) == 0 {
		c.Notes = pick(r, notes)
	}
	var digits string
	if g.taxIDs != nil && r.Float64() < byType(c.Type, 0.3, 0.7) {
		digits = taxIDDigits(r, c.Type)
		sealed, err := g.taxIDs.Seal(digits)
		if err != nil {
			return nil, "", err
		}
		c.TaxID, c.TaxIDLast4 = sealed, digits[5:]
	}
	if r.IntN(3) == 0 { // edited since
		c.Version += int64(1 + r.IntN(4))
		c.UpdatedAt = g.between(r, created, g.end)
	}
	switch x := r.Float64(); {
	case x < 0.09:
		c.Status = customer.StatusSuspended
		reason := customer.ReasonNonPayment
		if r.IntN(10) >= 6 {
			reason = pick(r, customer.SuspensionReasons)
		}
		since := g.between(r, created, g.end)
		c.Suspension = &customer.Suspension{Reason: reason, Since: since}
		if r.IntN(3) == 0 {
			c.Suspension.Notes = "Suspended after " + strconv.Itoa(30+r.IntN(90)) + " days past due"
		}
		if r.IntN(10) < 4 { // in the future: the reactivation loop must not fire mid-benchmark
			until := g.end.Add(time.Duration(30+r.IntN(700)) * 24 * time.Hour)
			c.Suspension.Until = &until
		}
		c.Version++
		c.UpdatedAt = since
	case x < 0.12:
		closed := g.between(r, created, g.end)
		c = &customer.Customer{
			ID: c.ID, AccountNumber: c.AccountNumber, Type: c.Type, Status: customer.StatusClosed,
			Industry: c.Industry, PreferredContact: c.PreferredContact, CustomerSince: c.CustomerSince,
			Version: c.Version + 1, CreatedAt: c.CreatedAt, UpdatedAt: closed, DeletedAt: &closed,
		}
		digits = ""
	}
	return c, digits, nil
}

// byType returns residential for residential customers, other otherwise.
func byType(t customer.Type, residential, other float64) float64 {
	if t == customer.TypeResidential {
		return residential
	}
	return other
}

// between returns a random time in [a, b], to the microsecond.
func (g *generator) between(r *rand.Rand, a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(b.Sub(a))))).Truncate(time.Microsecond)
}

// address returns a street address at p.
func (g *generator) address(r *rand.Rand, p place) customer.Address {
	a := customer.Address{
		Street:     strconv.Itoa(1+r.IntN(9_899)) + " " + pick(r, demo.StreetNames) + " " + pick(r, demo.StreetSuffixes),
		City:       p.city,
		State:      p.state,
		PostalCode: p.zip,
		Country:    "US",
	}
	if r.IntN(7) == 0 {
		a.Unit = pick(r, []string{"Apt ", "Unit ", "Suite ", "#"}) + strconv.Itoa(1+r.IntN(400))
	}
	if r.IntN(10) > 0 {
		a.Coordinates = &customer.Coordinates{
			Latitude:  math.Round((p.lat+(r.Float64()-0.5)*0.04)*1e5) / 1e5,
			Longitude: math.Round((p.lon+(r.Float64()-0.5)*0.04)*1e5) / 1e5,
		}
	}
	return a
}

// orgName returns the name of a business, public body or charity.
func (g *generator) orgName(r *rand.Rand, t customer.Type, last string, p place) string {
	switch t {
	case customer.TypeGovernment:
		return pick(r, []string{"City of ", "Town of ", "Village of "}) + p.city + " " + pick(r, govDepartments)
	case customer.TypeNonProfit:
		return pick(r, []string{p.city + " ", last + " ", pick(r, demo.StreetNames) + " "}) + pick(r, nonProfitKinds)
	default:
		name := pick(r, []string{last + " ", last + " & " + pick(r, demo.LastNames) + " ", pick(r, demo.StreetNames) + " ", p.city + " "}) +
			pick(r, businessKinds)
		if t == customer.TypeEnterprise {
			return name + pick(r, []string{" Inc.", " Corp.", " Holdings", " Group"})
		}
		return name + pick(r, []string{" LLC", " Inc.", "", " Co."})
	}
}

// slug turns an organisation name into a mail domain label.
func slug(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() > 40 {
		return b.String()[:40]
	}
	return b.String()
}

// taxIDDigits returns a valid SSN (residential) or EIN.
func taxIDDigits(r *rand.Rand, t customer.Type) string {
	if t == customer.TypeResidential {
		area := 1 + r.IntN(899)
		if area == 666 {
			area = 667
		}
		return fmt.Sprintf("%03d%02d%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
	}
	prefix := pick(r, []int{10, 12, 20, 23, 27, 30, 33, 36, 38, 41, 45, 46, 47, 52, 54, 56, 58, 61, 65, 74, 81, 82, 84, 86, 88, 91, 94, 98})
	return fmt.Sprintf("%02d%07d", prefix, r.IntN(10_000_000))
}
