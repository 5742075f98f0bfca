package analytics

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// MaxFactors bounds the factors a ChurnRisk lists.
const MaxFactors = 8

// ChurnRisk is a customer's churn risk scored live: the model's
// probability, its score and level, the factors behind it and what to do
// about them.
type ChurnRisk struct {
	CustomerID string `json:"customer_id"`
	// Probability is that of the customer leaving within the next month,
	// rounded to 4 decimals.
	Probability float64 `json:"probability"`
	// Score is round(100 × probability) (ScoreOf), Level its band
	// (LevelOf).
	Score int        `json:"score"`
	Level ChurnLevel `json:"level"`
	// Factors are the features with the largest part in the score, at
	// most MaxFactors, largest first.
	Factors []ChurnFactor `json:"factors"`
	// RecommendedActions follow from the factors that raise the risk (see
	// Action).
	RecommendedActions []RecommendedAction `json:"recommended_actions"`
	Model              ModelInfo           `json:"model"`
	ComputedAt         time.Time           `json:"computed_at"`
}

// ChurnFactor is one feature's part in a churn score.
type ChurnFactor struct {
	// Name is the feature's (FeatureNames).
	Name string `json:"name"`
	// Value is the feature's value, rounded to 4 decimals.
	Value float64 `json:"value"`
	// Contribution is the feature's share of the log-odds: its
	// Contribution.LogOdds over the sum of the absolute log-odds of every
	// feature, rounded to 3 decimals; positive raises the risk, and the
	// absolute shares of all features add up to 1.
	Contribution float64 `json:"contribution"`
	// Description says in words what the value means.
	Description string `json:"description"`
}

// ModelInfo names the model that scored a customer.
type ModelInfo struct {
	Name         string    `json:"name"`
	Version      string    `json:"version"`
	TrainedAt    time.Time `json:"trained_at"`
	TrainingRows int       `json:"training_rows"`
	CVAUC        float64   `json:"cv_auc"`
}

// Action is something to do about a customer's churn risk.
type Action string

// The actions. Each follows from a factor that raises the risk
// (a positive contribution) among those listed:
//   - offer_contract_upgrade: contract_one_year or contract_two_year is 0
//     while the customer holds a service (it is on a shorter term);
//   - enable_autopay: method_electronic_check or method_check is 1, or
//     autopay is 0 while the customer has paid;
//   - support_follow_up: tickets_90d or open_tickets above 0, or
//     satisfaction_gap above 0 (a mean rating below 3);
//   - payment_plan_outreach: failed_payments_12m or late_payments_12m
//     above 0;
//   - offer_support_bundle: security or tech_support is 0 while the
//     customer holds internet access;
//   - onboarding_check_in: tenure_months or log_tenure, for a customer of
//     less than 12 months.
const (
	ActionOfferContractUpgrade Action = "offer_contract_upgrade"
	ActionEnableAutopay        Action = "enable_autopay"
	ActionSupportFollowUp      Action = "support_follow_up"
	ActionPaymentPlanOutreach  Action = "payment_plan_outreach"
	ActionOfferSupportBundle   Action = "offer_support_bundle"
	ActionOnboardingCheckIn    Action = "onboarding_check_in"
)

// Actions lists every Action.
var Actions = []Action{ActionOfferContractUpgrade, ActionEnableAutopay, ActionSupportFollowUp,
	ActionPaymentPlanOutreach, ActionOfferSupportBundle, ActionOnboardingCheckIn}

// RecommendedAction is an action and the factor it answers.
type RecommendedAction struct {
	Action Action `json:"action"`
	// Reason is the description of the factor that calls for it.
	Reason string `json:"reason"`
}

// ChurnRisk scores the customer now, from its facts at the clock, with
// the Service's model. It reads and never writes: the stored profile is
// the sweep's and the changes' to refresh. Errors: not_found.
func (s *Service) ChurnRisk(ctx context.Context, customerID string) (*ChurnRisk, error) {
	f, asOf, err := s.liveFacts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return ChurnRiskOf(f, s.model, asOf), nil
}

// liveFacts reads the customer's facts at the clock.
func (s *Service) liveFacts(ctx context.Context, customerID string) (*Facts, time.Time, error) {
	if !crm.ValidID(customerID) {
		return nil, time.Time{}, crm.NotFound("customer")
	}
	asOf := s.clock()
	fs, err := s.repo.CustomerFacts(ctx, []string{customerID}, asOf)
	if err != nil {
		return nil, asOf, err
	}
	// A closed (deleted) customer is not found, as everywhere in the API.
	if len(fs) == 0 || fs[0].Status == customer.StatusClosed {
		return nil, asOf, crm.NotFound("customer")
	}
	return &fs[0], asOf, nil
}

// ChurnRiskOf scores the customer f describes as of asOf with m.
func ChurnRiskOf(f *Facts, m *Model, asOf time.Time) *ChurnRisk {
	asOf = crm.StoredTime(asOf)
	x := FeaturesOf(f, asOf)
	pred := m.Predict(x)
	score := ScoreOf(pred.Probability)
	r := &ChurnRisk{CustomerID: f.CustomerID, Probability: round(pred.Probability, 4), Score: score, Level: LevelOf(score),
		Factors: []ChurnFactor{}, RecommendedActions: []RecommendedAction{},
		Model:      ModelInfo{Name: m.Name, Version: m.Version, TrainedAt: m.TrainedAt, TrainingRows: m.TrainingRows, CVAUC: m.CVAUC},
		ComputedAt: asOf}
	var total float64
	for _, c := range pred.Contributions {
		total += math.Abs(c.LogOdds)
	}
	if total == 0 {
		return r
	}
	day := crm.DateOf(asOf)
	held := false
	for i := range f.Services {
		held = held || f.Services[i].HeldOn(day)
	}
	sit := situation{f: f, x: x, held: held}
	for _, c := range pred.Contributions[:min(len(pred.Contributions), MaxFactors)] {
		desc := describe(c.Feature, c.Value, f)
		r.Factors = append(r.Factors, ChurnFactor{Name: c.Feature, Value: round(c.Value, 4),
			Contribution: round(c.LogOdds/total, 3), Description: desc})
		if c.LogOdds <= 0 {
			continue
		}
		for _, rule := range actionRules {
			if rule.applies(c, &sit) && !hasAction(r.RecommendedActions, rule.action) {
				r.RecommendedActions = append(r.RecommendedActions, RecommendedAction{Action: rule.action, Reason: desc})
			}
		}
	}
	return r
}

// situation is what the action rules read besides the factor.
type situation struct {
	f *Facts
	x Features
	// held reports whether the customer holds any service.
	held bool
}

// feature returns the value of the named feature.
func (s *situation) feature(name string) float64 {
	for i, n := range FeatureNames {
		if n == name {
			return s.x[i]
		}
	}
	return 0
}

// actionRules map the factors that raise the risk to actions, as Action
// documents.
var actionRules = []struct {
	action  Action
	applies func(c Contribution, s *situation) bool
}{
	{ActionOfferContractUpgrade, func(c Contribution, s *situation) bool {
		return (c.Feature == "contract_one_year" || c.Feature == "contract_two_year") && c.Value == 0 && s.held
	}},
	{ActionEnableAutopay, func(c Contribution, s *situation) bool {
		switch c.Feature {
		case "method_electronic_check", "method_check":
			return c.Value == 1
		case "autopay":
			return c.Value == 0 && s.f.LatestMethod != ""
		}
		return false
	}},
	{ActionSupportFollowUp, func(c Contribution, s *situation) bool {
		switch c.Feature {
		case "tickets_90d", "open_tickets", "satisfaction_gap":
			return c.Value > 0
		}
		return false
	}},
	{ActionPaymentPlanOutreach, func(c Contribution, s *situation) bool {
		return (c.Feature == "failed_payments_12m" || c.Feature == "late_payments_12m") && c.Value > 0
	}},
	{ActionOfferSupportBundle, func(c Contribution, s *situation) bool {
		internet := s.feature("internet_fiber")+s.feature("internet_dsl")+s.feature("internet_other") > 0
		return (c.Feature == "security" || c.Feature == "tech_support") && c.Value == 0 && internet
	}},
	{ActionOnboardingCheckIn, func(c Contribution, s *situation) bool {
		return (c.Feature == "tenure_months" || c.Feature == "log_tenure") && s.feature("tenure_months") < FactsMonths
	}},
}

func hasAction(as []RecommendedAction, a Action) bool {
	for _, x := range as {
		if x.Action == a {
			return true
		}
	}
	return false
}

// describe says in words what the value of a feature means for the
// customer f describes.
func describe(feature string, v float64, f *Facts) string {
	yes := v != 0
	n := int(math.Round(v))
	switch feature {
	case "tenure_months":
		return fmt.Sprintf("A customer for %s", plural(n, "month"))
	case "log_tenure":
		return fmt.Sprintf("A customer for %s; the first months weigh most", plural(int(math.Round(math.Expm1(v))), "month"))
	case "mrr":
		return fmt.Sprintf("Pays %.2f a month for the services held", v)
	case "historical_revenue":
		return fmt.Sprintf("Has paid %.2f in all, net of refunds", v)
	case "internet_fiber":
		return holds(yes, "fiber internet access")
	case "internet_dsl":
		return holds(yes, "DSL internet access")
	case "internet_other":
		return holds(yes, "cable, fixed-wireless or satellite internet access")
	case "voice_lines":
		return fmt.Sprintf("Holds %s", plural(n, "voice line"))
	case "security":
		return holds(yes, "an online security service")
	case "backup":
		return holds(yes, "an online backup service")
	case "device_protection":
		return holds(yes, "device protection")
	case "tech_support":
		return holds(yes, "a tech support plan")
	case "tv":
		return holds(yes, "a TV service")
	case "streaming":
		return holds(yes, "a streaming service")
	case "other_services":
		return fmt.Sprintf("Holds %s of other types", plural(n, "service"))
	case "contract_one_year":
		if yes {
			return "The shortest contract held is a one-year term"
		}
		return "The shortest contract held is not a one-year term"
	case "contract_two_year":
		if yes {
			return "The shortest contract held is a two-year term"
		}
		return "The shortest contract held is not a two-year term"
	case "paperless_billing":
		if yes {
			return "The latest invoice went by email (paperless billing)"
		}
		return "The latest invoice went by post, or there is none"
	case "method_electronic_check":
		return paidBy(yes, "electronic check")
	case "method_check":
		return paidBy(yes, "mailed check")
	case "method_card":
		return paidBy(yes, "card")
	case "method_bank_transfer":
		return paidBy(yes, "bank transfer")
	case "autopay":
		if yes {
			return "The latest payment was automatic (auto-pay)"
		}
		if f.LatestMethod == "" {
			return "Has made no payment yet"
		}
		return "The latest payment was not automatic"
	case "failed_payments_12m":
		return fmt.Sprintf("%s in the last %d months", plural(n, "failed payment"), FactsMonths)
	case "late_payments_12m":
		return fmt.Sprintf("%s after the due date in the last %d months", plural(n, "payment"), FactsMonths)
	case "tickets_90d":
		return fmt.Sprintf("%s opened in the last %d days", plural(n, "support ticket"), TicketDays)
	case "open_tickets":
		return fmt.Sprintf("%s open", plural(n, "support ticket"))
	case "suspensions_12m":
		return fmt.Sprintf("Suspended %s in the last %d months", plural(n, "time"), FactsMonths)
	case "usage_trend":
		return fmt.Sprintf("Used %+.0f%% data in the last %d months against the %d before", 100*v, TrendMonths, TrendMonths)
	case "satisfaction_gap":
		if f.Rated == 0 {
			return fmt.Sprintf("No ticket of the last %d months was rated", FactsMonths)
		}
		return fmt.Sprintf("Rated support %.1f of 5 on average over the last %d months", 3-v, FactsMonths)
	}
	return fmt.Sprintf("%s is %g", feature, v)
}

func holds(yes bool, what string) string {
	if yes {
		return "Holds " + what
	}
	return "Does not hold " + what
}

func paidBy(yes bool, method string) string {
	if yes {
		return "The latest payment was by " + method
	}
	return "The latest payment was not by " + method
}

// plural writes n things, with an s unless n is 1.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
