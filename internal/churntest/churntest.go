// Package churntest makes churn models by hand for tests, so that no test
// depends on the coefficients shipped in analytics/churn_model.json.
package churntest

import (
	"math"
	"time"

	"github.com/ispstack/crm/analytics"
)

// Flat is a churn model that gives every customer probability p: no
// feature weighs.
func Flat(p float64) *analytics.Model { return Hand(math.Log(p/(1-p)), nil) }

// Hand is a churn model (version "hand-1") with the intercept and, for
// the features coefs names, their coefficients (Feature filled in); every
// other feature has weight 0, mean 0 and scale 1. It panics if the result
// is not a usable model.
func Hand(intercept float64, coefs map[string]analytics.Coefficient) *analytics.Model {
	m := &analytics.Model{Name: "hand", Version: "hand-1", TrainedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		TrainingRows: 100, CVAUC: 0.75, Intercept: intercept}
	for _, name := range analytics.FeatureNames {
		c, ok := coefs[name]
		if !ok {
			c = analytics.Coefficient{Scale: 1}
		}
		c.Feature = name
		m.Coefficients = append(m.Coefficients, c)
	}
	if err := m.Check(); err != nil {
		panic(err)
	}
	return m
}
