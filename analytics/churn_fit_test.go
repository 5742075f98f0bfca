package analytics_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ispstack/crm/analytics"
)

func TestAUC(t *testing.T) {
	for _, tt := range []struct {
		name   string
		scores []float64
		labels []bool
		want   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"inverse", []float64{0.1, 0.2, 0.8, 0.9}, []bool{true, true, false, false}, 0},
		{"all tied", []float64{0.3, 0.3, 0.3, 0.3}, []bool{true, false, true, false}, 0.5},
		// Pairs (positive, negative): (0.5, 0.1) 1, (0.5, 0.5) ½, (0.9, 0.1) 1,
		// (0.9, 0.5) 1: 3.5 of 4.
		{"a tie across classes", []float64{0.1, 0.5, 0.5, 0.9}, []bool{false, true, false, true}, 0.875},
		// Positives 2 and 4 against negatives 1, 3, 5: 2 > 1; 4 > 1, 3: 3 of 6.
		{"interleaved", []float64{1, 2, 3, 4, 5}, []bool{false, true, false, true, false}, 0.5},
		{"unsorted input", []float64{0.9, 0.1, 0.4, 0.35}, []bool{true, false, false, true}, 0.75},
	} {
		if got := analytics.AUC(tt.scores, tt.labels); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: AUC = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := analytics.AUC([]float64{0.1, 0.2}, []bool{true, true}); !math.IsNaN(got) {
		t.Errorf("AUC of one class = %v, want NaN", got)
	}
}

// synthetic draws n rows whose churn follows a known logistic model over
// three features (the others constant), standardised weights given.
func synthetic(n int, seed uint64) ([]analytics.Features, []bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	xs, ys := make([]analytics.Features, n), make([]bool, n)
	for i := range n {
		x := make(analytics.Features, len(analytics.FeatureNames))
		x[0] = 24 + 12*rng.NormFloat64() // tenure: mean 24, sd 12
		x[2] = 70 + 30*rng.NormFloat64() // mrr: mean 70, sd 30
		x[4] = float64(rng.IntN(2))      // fiber: mean ½, sd ½
		x[10] = 3                        // constant: no variance
		z := -0.5 - 1.5*(x[0]-24)/12 + 0.8*(x[2]-70)/30 + 0.6*(x[4]-0.5)/0.5
		xs[i], ys[i] = x, rng.Float64() < analytics.Sigmoid(z)
	}
	return xs, ys
}

func TestFitRecoversKnownWeights(t *testing.T) {
	xs, ys := synthetic(20000, 7)
	m, err := analytics.Fit(xs, ys, analytics.FitOptions{Lambda: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"tenure_months": -1.5, "mrr": 0.8, "internet_fiber": 0.6}
	for _, c := range m.Coefficients {
		w, ok := want[c.Feature]
		if !ok {
			if c.Weight != 0 || c.Scale != 1 {
				t.Errorf("%s (no variance): weight %v, scale %v; want 0 and 1", c.Feature, c.Weight, c.Scale)
			}
			continue
		}
		if math.Abs(c.Weight-w) > 0.1 {
			t.Errorf("%s: weight %v, want about %v", c.Feature, c.Weight, w)
		}
	}
	if math.Abs(m.Intercept+0.5) > 0.1 {
		t.Errorf("intercept %v, want about -0.5", m.Intercept)
	}
	for _, c := range m.Coefficients[:5] {
		switch c.Feature {
		case "tenure_months":
			if math.Abs(c.Mean-24) > 0.5 || math.Abs(c.Scale-12) > 0.5 {
				t.Errorf("tenure standardised by mean %v, scale %v; want about 24 and 12", c.Mean, c.Scale)
			}
		case "internet_fiber":
			if math.Abs(c.Mean-0.5) > 0.02 || math.Abs(c.Scale-0.5) > 0.01 {
				t.Errorf("fiber standardised by mean %v, scale %v; want about ½ and ½", c.Mean, c.Scale)
			}
		}
	}
	if m.TrainingRows != 20000 || m.Lambda != 1 || len(m.Version) != 12 {
		t.Errorf("model rows %d, lambda %v, version %q", m.TrainingRows, m.Lambda, m.Version)
	}
}

func TestFitIsDeterministicAndShrinks(t *testing.T) {
	xs, ys := synthetic(2000, 3)
	a, err := analytics.Fit(xs, ys, analytics.FitOptions{Lambda: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := analytics.Fit(xs, ys, analytics.FitOptions{Lambda: 1})
	if a.Version != b.Version || a.Intercept != b.Intercept {
		t.Errorf("two fits of the same rows differ: %s, %s", a.Version, b.Version)
	}
	strong, err := analytics.Fit(xs, ys, analytics.FitOptions{Lambda: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(strong.Coefficients[0].Weight) >= math.Abs(a.Coefficients[0].Weight)/2 {
		t.Errorf("a strong penalty kept tenure's weight at %v (against %v)", strong.Coefficients[0].Weight, a.Coefficients[0].Weight)
	}
	if strong.Version == a.Version {
		t.Error("different models share a version")
	}
}

func TestFitRefusesBadRows(t *testing.T) {
	xs, ys := synthetic(50, 1)
	for _, tt := range []struct {
		name string
		xs   []analytics.Features
		ys   []bool
		opts analytics.FitOptions
	}{
		{"no penalty", xs, ys, analytics.FitOptions{}},
		{"labels missing", xs, ys[:10], analytics.FitOptions{Lambda: 1}},
		{"one class", xs, make([]bool, len(xs)), analytics.FitOptions{Lambda: 1}},
		{"short row", append([]analytics.Features{{1, 2}}, xs[1:]...), ys, analytics.FitOptions{Lambda: 1}},
		{"not finite", append([]analytics.Features{nanRow()}, xs[1:]...), ys, analytics.FitOptions{Lambda: 1}},
	} {
		if _, err := analytics.Fit(tt.xs, tt.ys, tt.opts); err == nil {
			t.Errorf("%s: Fit succeeded", tt.name)
		}
	}
}

func nanRow() analytics.Features {
	x := make(analytics.Features, len(analytics.FeatureNames))
	x[3] = math.NaN()
	return x
}

func TestCrossValidatedAUC(t *testing.T) {
	xs, ys := synthetic(3000, 11)
	opts := analytics.FitOptions{Lambda: 1}
	cv, err := analytics.CrossValidatedAUC(xs, ys, 5, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := analytics.Fit(xs, ys, opts)
	scores := make([]float64, len(xs))
	for i, x := range xs {
		scores[i] = m.Predict(x).Probability
	}
	in := analytics.AUC(scores, ys)
	// Out of sample a little below in sample, both well above chance.
	if !(cv > 0.75 && cv <= in+0.01 && in-cv < 0.03) {
		t.Errorf("cv AUC %v against in-sample %v", cv, in)
	}
	if again, _ := analytics.CrossValidatedAUC(xs, ys, 5, opts); again != cv {
		t.Errorf("cv AUC not deterministic: %v then %v", cv, again)
	}
	few := []bool{true, true, false, false, false, false, false, false}
	if _, err := analytics.CrossValidatedAUC(xs[:8], few, 5, opts); err == nil {
		t.Error("5 folds over 2 positives succeeded")
	}
}
