package analytics

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// RefitModelName names the models RefitChurnModel fits.
const RefitModelName = "refit-logistic"

// refitPage is how many customers RefitChurnModel reads at once.
const refitPage = 1000

// RefitChurnModel fits a churn model on the operator's own history, so
// that it predicts churn over windowMonths (1 to MaxHistoryMonths). With
// T0 = WindowStart(asOf, windowMonths), the training rows are the
// customers, closed ones included (leaving often ends in closing the
// account, whose records stay for the books), that held at least one
// service at T0; each row's features are
// FeaturesOf its Facts as of T0, and it is positive (churned) when every
// service it held at T0 has an EndDate within (T0, asOf]. The fit is
// FitChurnModel's; the model is named RefitModelName and trained now. Errors: invalid, naming
// window_months when it is out of range or when the history has fewer
// than CVFolds customers of either class.
func (s *Service) RefitChurnModel(ctx context.Context, asOf time.Time, windowMonths int) (*Model, error) {
	var p crm.Problems
	if windowMonths < MinHistoryMonths || windowMonths > MaxHistoryMonths {
		p.Addf("window_months", "must be between %d and %d", MinHistoryMonths, MaxHistoryMonths)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	asOf = crm.StoredTime(asOf)
	xs, ys, err := s.refitRows(ctx, WindowStart(asOf, windowMonths), crm.DateOf(asOf))
	if err != nil {
		return nil, err
	}
	var churned int
	for _, y := range ys {
		if y {
			churned++
		}
	}
	if churned < CVFolds || len(ys)-churned < CVFolds {
		p.Addf("window_months", "leaves %d customers who left and %d who stayed; refitting needs at least %d of each",
			churned, len(ys)-churned, CVFolds)
		return nil, p.Err()
	}
	m, err := FitChurnModel(xs, ys)
	if err != nil {
		return nil, err
	}
	m.Name, m.TrainedAt = RefitModelName, s.clock()
	return m, nil
}

// refitRows returns the features as of t0 and the labels of every
// customer that held a service on t0's date: churned when each of those
// services ended on or before end.
func (s *Service) refitRows(ctx context.Context, t0 time.Time, end crm.Date) ([]Features, []bool, error) {
	day := crm.DateOf(t0)
	var xs []Features
	var ys []bool
	for after := ""; ; {
		ids, err := s.repo.CustomerIDs(ctx, after, refitPage, true)
		if err != nil || len(ids) == 0 {
			return xs, ys, err
		}
		after = ids[len(ids)-1]
		facts, err := s.repo.CustomerFacts(ctx, ids, t0)
		if err != nil {
			return nil, nil, err
		}
		for i := range facts {
			f := &facts[i]
			held, left := 0, 0
			for j := range f.Services {
				sv := &f.Services[j]
				if !sv.HeldOn(day) {
					continue
				}
				held++
				if sv.EndDate != nil && !end.Before(*sv.EndDate) {
					left++
				}
			}
			if held > 0 {
				xs, ys = append(xs, FeaturesOf(f, t0)), append(ys, left == held)
			}
		}
	}
}
