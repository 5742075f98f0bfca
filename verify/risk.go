package verify

import "github.com/ispstack/crm"

// RiskTier buckets a credit score. The cut-offs follow the bands FICO
// publishes (740 and up very good or better, 670 good, 580 fair), with its
// "poor" band split at 500:
//
//	tier        score      recommended_deposit  credit_limit
//	excellent   740–850         0.00              1000.00
//	good        670–739         0.00               500.00
//	fair        580–669        50.00               250.00
//	poor        500–579       100.00               100.00
//	very_poor   300–499       200.00                 0.00 (prepaid)
//	no_score    none           100.00               100.00
//
// The deposit is what to ask of a new customer before service starts; the
// credit limit is the unpaid balance the account may run up before
// collections act. A thin file is treated like a poor score: no evidence
// either way.
type RiskTier string

// The risk tiers.
const (
	TierExcellent RiskTier = "excellent"
	TierGood      RiskTier = "good"
	TierFair      RiskTier = "fair"
	TierPoor      RiskTier = "poor"
	TierVeryPoor  RiskTier = "very_poor"
	TierNoScore   RiskTier = "no_score"
)

// The lowest score of each scored tier; see RiskTier.
const (
	MinScore          = 300
	MaxScore          = 850
	MinScoreExcellent = 740
	MinScoreGood      = 670
	MinScoreFair      = 580
	MinScorePoor      = 500
)

// RiskTierOf returns the tier of score: TierNoScore for nil. A score
// outside 300–850 falls in the nearest tier.
func RiskTierOf(score *int) RiskTier {
	switch {
	case score == nil:
		return TierNoScore
	case *score >= MinScoreExcellent:
		return TierExcellent
	case *score >= MinScoreGood:
		return TierGood
	case *score >= MinScoreFair:
		return TierFair
	case *score >= MinScorePoor:
		return TierPoor
	default:
		return TierVeryPoor
	}
}

// Terms are the account terms a risk tier recommends.
type Terms struct {
	RecommendedDeposit crm.Money `json:"recommended_deposit"`
	CreditLimit        crm.Money `json:"credit_limit"`
}

// terms is the table documented on RiskTier.
var terms = map[RiskTier]Terms{
	TierExcellent: {RecommendedDeposit: 0, CreditLimit: 1000_00},
	TierGood:      {RecommendedDeposit: 0, CreditLimit: 500_00},
	TierFair:      {RecommendedDeposit: 50_00, CreditLimit: 250_00},
	TierPoor:      {RecommendedDeposit: 100_00, CreditLimit: 100_00},
	TierVeryPoor:  {RecommendedDeposit: 200_00, CreditLimit: 0},
	TierNoScore:   {RecommendedDeposit: 100_00, CreditLimit: 100_00},
}

// Terms returns the deposit and credit limit of t, per the table on
// RiskTier; an unknown tier gets the no_score terms.
func (t RiskTier) Terms() Terms {
	if x, ok := terms[t]; ok {
		return x
	}
	return terms[TierNoScore]
}
