package verify_test

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/verify"
)

// time0 is a fixed instant long past, for deadlines that have passed.
var time0 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// TestRiskTierEdges checks both sides of every cut-off and the terms of
// each tier, as documented on verify.RiskTier.
func TestRiskTierEdges(t *testing.T) {
	tests := []struct {
		score *int
		tier  verify.RiskTier
	}{
		{nil, verify.TierNoScore},
		{ptr(850), verify.TierExcellent}, {ptr(740), verify.TierExcellent},
		{ptr(739), verify.TierGood}, {ptr(670), verify.TierGood},
		{ptr(669), verify.TierFair}, {ptr(580), verify.TierFair},
		{ptr(579), verify.TierPoor}, {ptr(500), verify.TierPoor},
		{ptr(499), verify.TierVeryPoor}, {ptr(300), verify.TierVeryPoor},
		{ptr(900), verify.TierExcellent}, {ptr(0), verify.TierVeryPoor},
	}
	for _, tt := range tests {
		if got := verify.RiskTierOf(tt.score); got != tt.tier {
			t.Errorf("RiskTierOf(%v) = %s, want %s", deref(tt.score), got, tt.tier)
		}
	}
	terms := []struct {
		tier           verify.RiskTier
		deposit, limit crm.Money
	}{
		{verify.TierExcellent, 0, 1000_00},
		{verify.TierGood, 0, 500_00},
		{verify.TierFair, 50_00, 250_00},
		{verify.TierPoor, 100_00, 100_00},
		{verify.TierVeryPoor, 200_00, 0},
		{verify.TierNoScore, 100_00, 100_00},
		{"unknown", 100_00, 100_00},
	}
	for _, tt := range terms {
		if got := tt.tier.Terms(); got.RecommendedDeposit != tt.deposit || got.CreditLimit != tt.limit {
			t.Errorf("%s: %+v, want deposit %s limit %s", tt.tier, got, tt.deposit, tt.limit)
		}
	}
}

func TestNewCreditReport(t *testing.T) {
	r := verify.NewCreditReport("ref", verify.BureauEquifax, verify.CheckHard, ptr(600), nil)
	if r.RiskTier != verify.TierFair || r.RecommendedDeposit != 50_00 || r.CreditLimit != 250_00 || r.Factors == nil {
		t.Errorf("got %+v", r)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
