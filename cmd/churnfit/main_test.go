package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ispstack/crm/analytics"
)

// TestRun fits the sample (the full training file is the job of
// internal/telco's TestFitReproducesShippedModel) and reads the model
// back.
func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "model.json")
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"-csv", "../../internal/telco/testdata/sample.csv", "-out", out, "-as-of", "2026-06-15"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analytics.ParseModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "telco-logistic" || m.TrainingRows != 21 || m.TrainedAt.Format("2006-01-02") != "2026-06-15" || m.CVAUC <= 0 {
		t.Errorf("model %s trained %s on %d rows, cv AUC %v", m.Name, m.TrainedAt, m.TrainingRows, m.CVAUC)
	}
	if !strings.Contains(stdout.String(), "21 rows, lambda 1") || !strings.Contains(stdout.String(), "wrote "+out) {
		t.Errorf("output %q", stdout.String())
	}
	for _, args := range [][]string{nil, {"-csv", "missing.csv"}, {"-csv", "x.csv", "-as-of", "June"}, {"-csv", "x.csv", "extra"}} {
		if err := run(t.Context(), args, &stdout, &stderr); err == nil {
			t.Errorf("%q succeeded", args)
		}
	}
}
