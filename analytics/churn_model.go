package analytics

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// Model is a churn model: a logistic regression over standardised
// Features. The probability it gives is that of the customer leaving
// within the next month.
type Model struct {
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	TrainedAt time.Time `json:"trained_at"`
	// TrainingRows is the number of customers the model was fitted on.
	TrainingRows int `json:"training_rows"`
	// CVAUC is the area under the ROC curve of the fit, 5-fold
	// cross-validated on the training rows.
	CVAUC float64 `json:"cv_auc"`
	// Lambda is the L2 penalty of the fit, on the standardised weights.
	Lambda    float64 `json:"lambda"`
	Intercept float64 `json:"intercept"`
	// Coefficients hold one entry per feature, in FeatureNames order.
	Coefficients []Coefficient `json:"coefficients"`
}

// Coefficient is one feature's part in a Model: the feature is
// standardised as (x − Mean) / Scale, then weighted by Weight.
type Coefficient struct {
	Feature string  `json:"feature"`
	Mean    float64 `json:"mean"`
	Scale   float64 `json:"scale"`
	Weight  float64 `json:"weight"`
}

// Contribution is one feature's part in a prediction.
type Contribution struct {
	Feature string
	// Value is the feature's value.
	Value float64
	// LogOdds is what the feature adds to the log-odds of churning:
	// Weight × (Value − Mean) / Scale. Positive raises the risk.
	LogOdds float64
}

// Prediction is a Model's answer for one customer.
type Prediction struct {
	Probability float64
	// Contributions are the features with a non-zero part, largest
	// |LogOdds| first (ties by feature order).
	Contributions []Contribution
}

// Check reports whether m fits the features of this version of the
// package: one coefficient per feature, in FeatureNames order, each with a
// positive finite scale.
func (m *Model) Check() error {
	if len(m.Coefficients) != len(FeatureNames) {
		return fmt.Errorf("analytics: model %s has %d coefficients, want %d", m.Version, len(m.Coefficients), len(FeatureNames))
	}
	for i, c := range m.Coefficients {
		if c.Feature != FeatureNames[i] {
			return fmt.Errorf("analytics: model %s coefficient %d is %q, want %q", m.Version, i, c.Feature, FeatureNames[i])
		}
		if !(c.Scale > 0) || math.IsInf(c.Scale, 0) || math.IsNaN(c.Weight) || math.IsNaN(c.Mean) {
			return fmt.Errorf("analytics: model %s coefficient %q is not usable", m.Version, c.Feature)
		}
	}
	return nil
}

// Predict scores x, which must have one value per feature.
func (m *Model) Predict(x Features) Prediction {
	z := m.Intercept
	var cs []Contribution
	for i, c := range m.Coefficients {
		part := c.Weight * (x[i] - c.Mean) / c.Scale
		z += part
		if part != 0 {
			cs = append(cs, Contribution{Feature: c.Feature, Value: x[i], LogOdds: part})
		}
	}
	slices.SortStableFunc(cs, func(a, b Contribution) int {
		return -cmp.Compare(math.Abs(a.LogOdds), math.Abs(b.LogOdds))
	})
	return Prediction{Probability: Sigmoid(z), Contributions: cs}
}

// Sigmoid is the logistic function.
func Sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

//go:embed churn_model.json
var defaultModelJSON []byte

// DefaultModel returns the shipped churn model, fitted on the Telco
// training split (see cmd/churnfit, which rewrites churn_model.json). Each
// call returns a new copy.
func DefaultModel() *Model {
	m, err := ParseModel(defaultModelJSON)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return m
}

// ParseModel reads a Model written as JSON (as cmd/churnfit writes it) and
// checks it.
func ParseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("analytics: reading a churn model: %w", err)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return &m, nil
}
