package httpapi

import (
	"fmt"

	"github.com/ispstack/crm/analytics"
)

// The schemas of the churn risk and the lifetime value (churn.go).

func churnRiskSchema() obj {
	return closed(object([]string{"customer_id", "probability", "score", "level", "factors", "recommended_actions", "model", "computed_at"}, obj{
		"customer_id": obj{"type": "string", "format": "uuid"},
		"probability": obj{"type": "number", "minimum": 0, "maximum": 1,
			"description": "The probability of the customer leaving within the next month, by the churn model over its features now; rounded to 4 decimals."},
		"score": integer("round(100 × probability), from the unrounded probability.", 0, 100),
		"level": enumOf(fmt.Sprintf("The band of the score: low below %d, medium from %d, high from %d, critical from %d.",
			analytics.MediumScore, analytics.MediumScore, analytics.HighScore, analytics.CriticalScore), analytics.ChurnLevels),
		"factors": obj{"type": "array", "maxItems": analytics.MaxFactors, "items": sref("ChurnFactor"),
			"description": fmt.Sprintf("The %d features with the largest part in the score, largest |contribution| first; empty when no feature weighs.", analytics.MaxFactors)},
		"recommended_actions": obj{"type": "array", "items": sref("RecommendedAction"),
			"description": "What to do about the factors that raise the risk, each action once, in the order of the factors that call for it."},
		"model":       sref("ChurnModel"),
		"computed_at": timestamp("The instant the features were taken at: now."),
	}))
}

func churnFactorSchema() obj {
	return closed(object([]string{"name", "value", "contribution", "description"}, obj{
		"name":  enumOf("The feature.", analytics.FeatureNames),
		"value": obj{"type": "number", "description": "The feature's value, rounded to 4 decimals (1 or 0 for a yes-or-no feature)."},
		"contribution": obj{"type": "number", "minimum": -1, "maximum": 1,
			"description": "The feature's share of the log-odds: its part in them over the sum of the absolute parts of every feature, rounded to 3 decimals. " +
				"Positive raises the risk; the absolute shares of all features add up to 1."},
		"description": str("What the value means, in words."),
	}))
}

func recommendedActionSchema() obj {
	return closed(object([]string{"action", "reason"}, obj{
		"action": enumOf("offer_contract_upgrade: a contract-term factor (not on a one- or two-year term) while a service is held; "+
			"enable_autopay: the latest payment by electronic or mailed check, or not automatic; "+
			"support_follow_up: tickets in the last 90 days, open tickets or a mean rating below 3; "+
			"payment_plan_outreach: failed or late payments in the last 12 months; "+
			"offer_support_bundle: no security or tech support service while internet access is held; "+
			"onboarding_check_in: the tenure, for a customer of less than 12 months. Each only from a factor that raises the risk.",
			analytics.Actions),
		"reason": str("The description of the factor that calls for the action."),
	}))
}

func churnModelSchema() obj {
	return closed(object([]string{"name", "version", "trained_at", "training_rows", "cv_auc"}, obj{
		"name":          str("The model."),
		"version":       str("The version of its coefficients."),
		"trained_at":    timestamp("When it was fitted."),
		"training_rows": obj{"type": "integer", "minimum": 0, "description": "The customers it was fitted on."},
		"cv_auc":        obj{"type": "number", "minimum": 0, "maximum": 1, "description": "The area under the ROC curve of the fit, 5-fold cross-validated on the training rows."},
	}))
}

func lifetimeValueSchema() obj {
	prob := func(desc string) obj { return obj{"type": "number", "minimum": 0, "maximum": 1, "description": desc} }
	return closed(object([]string{"customer_id", "historical_revenue", "monthly_recurring_revenue", "tenure_months",
		"monthly_churn_probability", "expected_remaining_months", "predicted_future_value", "predicted_lifetime_value",
		"annual_discount_rate", "formula", "computed_at"}, obj{
		"customer_id":               obj{"type": "string", "format": "uuid"},
		"historical_revenue":        money("The succeeded payments minus the refunds, all time."),
		"monthly_recurring_revenue": money("The monthly price of the services held today."),
		"tenure_months":             obj{"type": "integer", "minimum": 0, "description": "Whole months since the earliest service start."},
		"monthly_churn_probability": prob(fmt.Sprintf("The churn probability of the churn-risk answer, at least %g; rounded to 4 decimals.", analytics.MinMonthlyChurn)),
		"expected_remaining_months": obj{"type": "number", "minimum": 0, "maximum": analytics.LTVHorizonMonths,
			"description": fmt.Sprintf("The expected number of the next %d months the customer stays, to one decimal.", analytics.LTVHorizonMonths)},
		"predicted_future_value":   money("The discounted revenue of the months the customer is expected to stay, at its current MRR."),
		"predicted_lifetime_value": money("historical_revenue + predicted_future_value."),
		"annual_discount_rate":     prob("The yearly rate future revenue is discounted at."),
		"formula":                  str("How the figures are computed."),
		"computed_at":              timestamp("The instant the figures were taken at: now."),
	}))
}
