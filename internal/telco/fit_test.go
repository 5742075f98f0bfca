package telco_test

import (
	"math"
	"os"
	"testing"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/internal/telco"
)

// readRows parses a CSV of testdata.
func readRows(t *testing.T, name string) []telco.Row {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := telco.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestFitReproducesShippedModel refits the shipped churn model as
// cmd/churnfit does and checks that the checked-in coefficients are what
// the fit gives: run `go run ./cmd/churnfit -csv
// internal/telco/testdata/telco-churn-train.csv` after changing the
// features, the mapping or the fit.
func TestFitReproducesShippedModel(t *testing.T) {
	rows := readRows(t, "telco-churn-train.csv")
	got, inSample, err := telco.FitModel(t.Context(), rows, telco.TrainingAsOf)
	if err != nil {
		t.Fatal(err)
	}
	want := analytics.DefaultModel()
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-12 }
	if got.Name != want.Name || !got.TrainedAt.Equal(want.TrainedAt) || got.TrainingRows != want.TrainingRows ||
		got.Lambda != want.Lambda || !close(got.Intercept, want.Intercept) {
		t.Errorf("fit gives %s trained %s on %d rows, lambda %v, intercept %v; shipped %s trained %s on %d rows, lambda %v, intercept %v",
			got.Name, got.TrainedAt, got.TrainingRows, got.Lambda, got.Intercept,
			want.Name, want.TrainedAt, want.TrainingRows, want.Lambda, want.Intercept)
	}
	if math.Round(got.CVAUC*1e4) != math.Round(want.CVAUC*1e4) {
		t.Errorf("cv AUC %.6f, shipped %.6f", got.CVAUC, want.CVAUC)
	}
	for i, g := range got.Coefficients {
		w := want.Coefficients[i]
		if g.Feature != w.Feature || !close(g.Mean, w.Mean) || !close(g.Scale, w.Scale) || !close(g.Weight, w.Weight) {
			t.Errorf("coefficient %d: fit %+v, shipped %+v", i, g, w)
		}
	}
	// The figures the README reports.
	if got.CVAUC < 0.84 || inSample < got.CVAUC {
		t.Errorf("cv AUC %.4f, in-sample %.4f", got.CVAUC, inSample)
	}
}
