package telco

import (
	"context"
	"fmt"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/store/memstore"
)

// ModelName names the shipped churn model.
const ModelName = "telco-logistic"

// TrainingAsOf is the fixed clock of the shipped model's fit: "today" of
// the mapping and the instant the features are computed at. It is also the
// model's trained_at.
var TrainingAsOf = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// TrainingSet loads rows into a fresh memory store through the Go API
// (LoadGo) with every clock at asOf, and returns each row's churn features
// (analytics.FeaturesOf of the store's analytics.Facts as of asOf) and its
// Churn label, in the order of rows.
func TrainingSet(ctx context.Context, rows []Row, asOf time.Time) ([]analytics.Features, []bool, error) {
	if len(rows) == 0 {
		return nil, nil, errNoRows
	}
	st := memstore.New()
	defer st.Close()
	svc, err := app.New(st, app.Options{Now: func() time.Time { return asOf }})
	if err != nil {
		return nil, nil, err
	}
	ids, err := LoadGo(ctx, svc, Plans(rows, crm.DateOf(asOf)))
	if err != nil {
		return nil, nil, err
	}
	facts, err := st.CustomerFacts(ctx, ids, asOf)
	if err != nil {
		return nil, nil, err
	}
	if len(facts) != len(rows) {
		return nil, nil, fmt.Errorf("telco: the store gave the facts of %d customers of %d", len(facts), len(rows))
	}
	xs, ys := make([]analytics.Features, len(rows)), make([]bool, len(rows))
	for i := range facts {
		xs[i], ys[i] = analytics.FeaturesOf(&facts[i], asOf), rows[i].Churn
	}
	return xs, ys, nil
}

// FitModel fits the churn model on rows as the shipped one is fitted:
// analytics.FitChurnModel over TrainingSet as of asOf, named ModelName and
// trained at asOf. It also returns the in-sample AUC.
func FitModel(ctx context.Context, rows []Row, asOf time.Time) (*analytics.Model, float64, error) {
	xs, ys, err := TrainingSet(ctx, rows, asOf)
	if err != nil {
		return nil, 0, err
	}
	m, err := analytics.FitChurnModel(xs, ys)
	if err != nil {
		return nil, 0, err
	}
	m.Name, m.TrainedAt = ModelName, asOf.UTC()
	scores := make([]float64, len(xs))
	for i, x := range xs {
		scores[i] = m.Predict(x).Probability
	}
	return m, analytics.AUC(scores, ys), nil
}
