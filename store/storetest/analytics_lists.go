package storetest

import (
	"fmt"
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

var analyticsListTests = []test{
	{"ProfileConditions", testProfileConditions},
	{"ProfilesListed", testProfilesListed},
	{"Rankings", testRankings},
	{"SortWithProfileConditions", testSortWithProfileConditions},
	{"LTVAtRank", testLTVAtRank},
	{"BadPositions", testProfiledBadPositions},
}

// profiledFixture holds customers that differ in every profile field, by
// name: Ann, Ben, Cat and Dan active with profiles (Ben and Cat tied in
// lifetime value and churn score, Cat created after Ben so with the
// greater id), Eve without a profile, Fay suspended with one, and Gus
// deleted with the greatest lifetime value, never listed.
type profiledFixture struct {
	byName   map[string]*customer.Customer
	profiles map[string]analytics.Profile // by name
}

func newProfiledFixture(t *testing.T, s store.Store) *profiledFixture {
	t.Helper()
	fx := &profiledFixture{byName: map[string]*customer.Customer{}, profiles: map[string]analytics.Profile{}}
	type prof struct {
		mrr, ltv      crm.Money
		score, tenure int
		tech          customer.Technology
		term          customer.ContractTerm
		types         []customer.ServiceType
		autopay, open bool
	}
	rows := []struct {
		name string
		p    *prof
	}{
		{"Ann", &prof{10000, 500000, 80, 36, customer.TechFiber, customer.TermTwoYear,
			[]customer.ServiceType{customer.ServiceInternet, customer.ServiceTV}, true, false}},
		{"Ben", &prof{5000, 120000, 55, 12, customer.TechDSL, customer.TermMonthToMonth,
			[]customer.ServiceType{customer.ServiceInternet, customer.ServiceVoice}, false, true}},
		{"Cat", &prof{5000, 120000, 55, 6, customer.TechCable, customer.TermOneYear,
			[]customer.ServiceType{customer.ServiceInternet}, true, true}},
		{"Dan", &prof{2000, 30000, 10, 1, "", customer.TermMonthToMonth,
			[]customer.ServiceType{customer.ServiceVoice}, false, false}},
		{"Eve", nil},
		{"Fay", &prof{0, 15000, 30, 24, "", "", []customer.ServiceType{}, false, false}},
		{"Gus", &prof{90000, 9900000, 99, 99, customer.TechFiber, customer.TermTwoYear,
			[]customer.ServiceType{customer.ServiceInternet}, true, true}},
	}
	var saved []analytics.Profile
	for _, r := range rows {
		c := newCustomer(t, r.name)
		if r.name == "Fay" {
			c.Status = customer.StatusSuspended
			c.Suspension = &customer.Suspension{Reason: customer.ReasonOther, Since: base}
		}
		create(t, s, c)
		fx.byName[r.name] = c
		if r.p == nil {
			fx.profiles[r.name] = analytics.NoProfile(c.ID)
			continue
		}
		p := analytics.Profile{CustomerID: c.ID, MRR: r.p.mrr, HistoricalRevenue: r.p.ltv / 2, TenureMonths: r.p.tenure,
			ChurnProbability: float64(r.p.score) / 100, ChurnScore: r.p.score, ChurnLevel: analytics.LevelOf(r.p.score),
			PredictedLTV: r.p.ltv, Technology: r.p.tech, ContractTerm: r.p.term, ServiceTypes: r.p.types,
			Autopay: r.p.autopay, HasOpenTickets: r.p.open, ModelVersion: "test-1", ComputedAt: at(0)}
		fx.profiles[r.name] = p
		saved = append(saved, p)
	}
	ok(t, "SaveProfiles", s.SaveProfiles(t.Context(), saved))
	remove(t, s, fx.byName["Gus"])
	return fx
}

// profiledNames returns the customer names of rows, in order.
func profiledNames(rows []analytics.Profiled) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Customer.Name)
	}
	return out
}

// byName is the ascending name order.
var byName = customer.Sort{Field: customer.SortName}

func testProfileConditions(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	newProfiledFixture(t, s)
	money := func(v crm.Money) *crm.Money { return &v }
	all := []string{"Ann", "Ben", "Cat", "Dan", "Eve", "Fay"}
	for _, tc := range []struct {
		name  string
		where []analytics.Conditions
		want  []string
	}{
		{"none", nil, all},
		{"zero conditions", []analytics.Conditions{{}}, all},
		{"min mrr", prof(analytics.ProfileFilter{MinMRR: money(5000)}), []string{"Ann", "Ben", "Cat"}},
		{"max mrr takes customers without a profile", prof(analytics.ProfileFilter{MaxMRR: money(2000)}), []string{"Dan", "Eve", "Fay"}},
		{"mrr range", prof(analytics.ProfileFilter{MinMRR: money(2000), MaxMRR: money(5000)}), []string{"Ben", "Cat", "Dan"}},
		{"min ltv", prof(analytics.ProfileFilter{MinLTV: money(120000)}), []string{"Ann", "Ben", "Cat"}},
		{"min ltv zero", prof(analytics.ProfileFilter{MinLTV: money(0)}), all},
		{"min churn score", prof(analytics.ProfileFilter{MinChurnScore: ptr(55)}), []string{"Ann", "Ben", "Cat"}},
		{"max churn score", prof(analytics.ProfileFilter{MaxChurnScore: ptr(10)}), []string{"Dan", "Eve"}},
		{"churn level high", prof(analytics.ProfileFilter{ChurnLevel: analytics.ChurnHigh}), []string{"Ben", "Cat"}},
		{"churn level low", prof(analytics.ProfileFilter{ChurnLevel: analytics.ChurnLow}), []string{"Dan", "Eve"}},
		{"min tenure", prof(analytics.ProfileFilter{MinTenureMonths: ptr(12)}), []string{"Ann", "Ben", "Fay"}},
		{"max tenure", prof(analytics.ProfileFilter{MaxTenureMonths: ptr(6)}), []string{"Cat", "Dan", "Eve"}},
		{"technology", prof(analytics.ProfileFilter{Technology: customer.TechFiber}), []string{"Ann"}},
		{"contract term", prof(analytics.ProfileFilter{ContractTerm: customer.TermMonthToMonth}), []string{"Ben", "Dan"}},
		{"service type voice", prof(analytics.ProfileFilter{ServiceType: customer.ServiceVoice}), []string{"Ben", "Dan"}},
		{"service type internet", prof(analytics.ProfileFilter{ServiceType: customer.ServiceInternet}), []string{"Ann", "Ben", "Cat"}},
		{"autopay", prof(analytics.ProfileFilter{Autopay: ptr(true)}), []string{"Ann", "Cat"}},
		{"no autopay", prof(analytics.ProfileFilter{Autopay: ptr(false)}), []string{"Ben", "Dan", "Eve", "Fay"}},
		{"open tickets", prof(analytics.ProfileFilter{HasOpenTickets: ptr(true)}), []string{"Ben", "Cat"}},
		{"no open tickets", prof(analytics.ProfileFilter{HasOpenTickets: ptr(false)}), []string{"Ann", "Dan", "Eve", "Fay"}},
		{"customer and profile conditions", []analytics.Conditions{{Customer: customer.Filter{Status: customer.StatusSuspended},
			Profile: analytics.ProfileFilter{MinLTV: money(100)}}}, []string{"Fay"}},
		{"customer condition alone", []analytics.Conditions{{Customer: customer.Filter{Status: customer.StatusActive}}},
			[]string{"Ann", "Ben", "Cat", "Dan", "Eve"}},
		{"every element holds", []analytics.Conditions{{Profile: analytics.ProfileFilter{MinMRR: money(5000)}},
			{Profile: analytics.ProfileFilter{Autopay: ptr(false)}}}, []string{"Ben"}},
		{"elements that exclude each other", []analytics.Conditions{{Customer: customer.Filter{Status: customer.StatusActive}},
			{Customer: customer.Filter{Status: customer.StatusSuspended}}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.ListProfiled(t.Context(), analytics.ProfileQuery{Where: tc.where, Sort: byName})
			ok(t, "ListProfiled", err)
			check(t, "names", tc.want, profiledNames(rows))
			n, err := s.CountProfiled(t.Context(), tc.where)
			ok(t, "CountProfiled", err)
			check(t, "count", len(tc.want), n)
		})
	}
}

// prof is one element of conditions on the profile alone.
func prof(f analytics.ProfileFilter) []analytics.Conditions {
	return []analytics.Conditions{{Profile: f}}
}

// Each listed customer comes with its stored record and its saved profile,
// or NoProfile.
func testProfilesListed(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	fx := newProfiledFixture(t, s)
	rows, err := s.ListProfiled(t.Context(), analytics.ProfileQuery{Sort: byName})
	ok(t, "ListProfiled", err)
	for _, r := range rows {
		stored, err := s.GetCustomer(t.Context(), r.Customer.ID)
		ok(t, "GetCustomer", err)
		check(t, r.Customer.Name+"'s customer", *stored, r.Customer)
		check(t, r.Customer.Name+"'s profile", fx.profiles[r.Customer.Name], r.Profile)
	}
}

func testRankings(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	newProfiledFixture(t, s)
	positive := prof(analytics.ProfileFilter{MinLTV: ptr(crm.Money(1))})
	for _, tc := range []struct {
		name    string
		ranking analytics.Ranking
		where   []analytics.Conditions
		want    []string
	}{
		// Ben and Cat tie: the greater id (Cat's) first. Eve, without a
		// profile, ranks as 0.
		{"ltv", analytics.ByLTV, nil, []string{"Ann", "Cat", "Ben", "Dan", "Fay", "Eve"}},
		{"positive ltv", analytics.ByLTV, positive, []string{"Ann", "Cat", "Ben", "Dan", "Fay"}},
		{"ltv of active customers", analytics.ByLTV, []analytics.Conditions{{Customer: customer.Filter{Status: customer.StatusActive}}},
			[]string{"Ann", "Cat", "Ben", "Dan", "Eve"}},
		{"churn score", analytics.ByChurnScore, nil, []string{"Ann", "Cat", "Ben", "Fay", "Dan", "Eve"}},
		{"high churn score", analytics.ByChurnScore, prof(analytics.ProfileFilter{MinChurnScore: ptr(analytics.HighScore)}),
			[]string{"Ann", "Cat", "Ben"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.ListProfiled(t.Context(), analytics.ProfileQuery{Where: tc.where, Ranking: tc.ranking})
			ok(t, "ListProfiled", err)
			check(t, "order", tc.want, profiledNames(rows))
			for limit := 1; limit <= len(tc.want)+1; limit++ {
				var got []string
				q := analytics.ProfileQuery{Where: tc.where, Ranking: tc.ranking, Limit: limit}
				for page := 0; ; page++ {
					if page > len(tc.want)+1 {
						t.Fatalf("limit %d: the position does not advance", limit)
					}
					rows, err := s.ListProfiled(t.Context(), q)
					ok(t, "ListProfiled", err)
					got = append(got, profiledNames(rows)...)
					if len(rows) < limit {
						break
					}
					last := rows[len(rows)-1]
					v := int64(last.Profile.PredictedLTV)
					if tc.ranking == analytics.ByChurnScore {
						v = int64(last.Profile.ChurnScore)
					}
					q.RankAfter = &analytics.RankKey{Value: v, ID: last.Customer.ID}
				}
				check(t, fmt.Sprintf("pages of %d", limit), tc.want, got)
			}
		})
	}
}

func testSortWithProfileConditions(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	newProfiledFixture(t, s)
	for _, tc := range []struct {
		name  string
		where []analytics.Conditions
		want  []string
	}{
		{"inner", prof(analytics.ProfileFilter{MinMRR: ptr(crm.Money(2000))}), []string{"Dan", "Cat", "Ben", "Ann"}},
		{"left", prof(analytics.ProfileFilter{Autopay: ptr(false)}), []string{"Fay", "Eve", "Dan", "Ben"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			desc := customer.Sort{Field: customer.SortName, Desc: true}
			var got []string
			q := analytics.ProfileQuery{Where: tc.where, Sort: desc, Limit: 3}
			for {
				rows, err := s.ListProfiled(t.Context(), q)
				ok(t, "ListProfiled", err)
				got = append(got, profiledNames(rows)...)
				if len(rows) < q.Limit {
					break
				}
				q.After = cursorAfter(&rows[len(rows)-1].Customer, customer.SortName)
			}
			check(t, "names", tc.want, got)
		})
	}
}

func testLTVAtRank(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	newProfiledFixture(t, s)
	positive := prof(analytics.ProfileFilter{MinLTV: ptr(crm.Money(1))})
	suspended := []analytics.Conditions{{Customer: customer.Filter{Status: customer.StatusSuspended}}}
	for i, tc := range []struct {
		where []analytics.Conditions
		rank  int
		want  crm.Money
		ok    bool
	}{
		{nil, 1, 500000, true},
		{nil, 2, 120000, true},
		{nil, 3, 120000, true},
		{nil, 5, 15000, true},
		{nil, 6, 0, true}, // Eve, without a profile
		{nil, 7, 0, false},
		{nil, 0, 0, false},
		{positive, 5, 15000, true},
		{positive, 6, 0, false},
		{suspended, 1, 15000, true},
	} {
		t.Run(fmt.Sprintf("%d rank %d", i, tc.rank), func(t *testing.T) {
			v, found, err := s.LTVAtRank(t.Context(), tc.where, tc.rank)
			ok(t, "LTVAtRank", err)
			check(t, "found", tc.ok, found)
			check(t, "value", tc.want, v)
		})
	}
}

func testProfiledBadPositions(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	newProfiledFixture(t, s)
	_, err := s.ListProfiled(t.Context(), analytics.ProfileQuery{Sort: customer.Sort{Field: "email"}})
	wantCode(t, "unknown sort field", err, crm.CodeInvalid)
	_, err = s.ListProfiled(t.Context(), analytics.ProfileQuery{Sort: customer.Sort{Field: customer.SortCreditScore},
		After: &customer.Cursor{Key: "high", ID: newID(t)}})
	wantCode(t, "cursor key that does not fit", err, crm.CodeInvalid)
	_, err = s.ListProfiled(t.Context(), analytics.ProfileQuery{Ranking: "tenure"})
	wantCode(t, "unknown ranking", err, crm.CodeInvalid)
}
