package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestUsageHistory feeds usage through HTTP on both stores, then reads
// usage histories by month (the default), week and day and checks every
// figure, computed by hand, and the OpenAPI schema; and the errors of the
// route.
func TestUsageHistory(t *testing.T) { runOnStores(t, testUsageHistory) }

func testUsageHistory(t *testing.T, e *env) {
	doc, _ := loadOpenAPI(t, e)
	// Today is 2026-01-02: the trend compares 2025-10-02 to 2026-01-02
	// with 2025-07-02 to 2025-10-01.
	e.clock.Set(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	c := e.createCustomer(nil)
	cp := "/api/v1/customers/" + c.ID
	fiber := e.addService(c.ID, nil)
	voice := e.addService(c.ID, map[string]any{"plan_name": "Voice Basic", "service_type": "voice", "technology": nil,
		"bandwidth_down_mbps": nil, "bandwidth_up_mbps": nil})
	// Prior window: 1,000 bytes; recent: 330 + 220 + 50 = 600 (the record
	// of 2026-01-04 is after today): −40 %.
	e.do(req{method: "POST", path: cp + "/usage", key: agentKey, body: `{"usage":[
		{"service_id":"` + fiber + `","date":"2025-08-15","download_bytes":900,"upload_bytes":100},
		{"service_id":"` + fiber + `","date":"2025-12-29","download_bytes":300,"upload_bytes":30},
		{"service_id":"` + voice + `","date":"2025-12-31","download_bytes":50,"upload_bytes":0},
		{"service_id":"` + fiber + `","date":"2026-01-01","download_bytes":200,"upload_bytes":20},
		{"service_id":"` + voice + `","date":"2026-01-04","download_bytes":10,"upload_bytes":10}]}`}).want(t, 200)
	falling := `{"direction":"falling","change_percent":-40.0}`
	p := func(start string, down, up int) string {
		return fmt.Sprintf(`{"period_start":%q,"download_bytes":%d,"upload_bytes":%d,"total_bytes":%d}`, start, down, up, down+up)
	}
	svc := func(id, plan string, total int) string {
		return fmt.Sprintf(`{"service_id":%q,"plan_name":%q,"total_bytes":%d}`, id, plan, total)
	}
	history := func(granularity, from, to string, periods []string, totals string, services []string, trend string) string {
		return `{"customer_id":"` + c.ID + `","granularity":"` + granularity + `","from":"` + from + `","to":"` + to +
			`","periods":[` + strings.Join(periods, ",") + `],"totals":` + totals + `,"by_service":[` + strings.Join(services, ",") +
			`],"trend":` + trend + `}`
	}
	// The default: the months from 2025-01-02 to 2026-01-02. 1,600 bytes
	// over 366 days: 4.37 a day.
	var months []string
	for m := range 13 {
		start := time.Date(2025, time.January+time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		switch start {
		case "2025-08-01":
			months = append(months, p(start, 900, 100))
		case "2025-12-01":
			months = append(months, p(start, 350, 30))
		case "2026-01-01":
			months = append(months, p(start, 200, 20))
		default:
			months = append(months, p(start, 0, 0))
		}
	}
	byDefault := history("month", "2025-01-02", "2026-01-02", months,
		`{"download_bytes":1450,"upload_bytes":150,"total_bytes":1600,"average_daily_bytes":4}`,
		[]string{svc(fiber, "Fiber 1000", 1550), svc(voice, "Voice Basic", 50)}, falling)
	tests := []struct {
		query string
		want  string
	}{
		{"", byDefault},
		{"?granularity=month&to=2026-01-02", byDefault},
		// Weeks from Tuesday 2025-12-30: the first starts on Monday the
		// 29th without its usage; the second holds only Monday the 5th.
		// 290 bytes over 7 days: 41.4 a day.
		{"?granularity=week&from=2025-12-30&to=2026-01-05", history("week", "2025-12-30", "2026-01-05",
			[]string{p("2025-12-29", 260, 30), p("2026-01-05", 0, 0)},
			`{"download_bytes":260,"upload_bytes":30,"total_bytes":290,"average_daily_bytes":41}`,
			[]string{svc(fiber, "Fiber 1000", 220), svc(voice, "Voice Basic", 70)}, falling)},
		// The voice service by day: 50 bytes over 3 days is 16.7 a day;
		// its trend has no prior usage.
		{"?granularity=day&from=2025-12-31&to=2026-01-02&service_id=" + voice, history("day", "2025-12-31", "2026-01-02",
			[]string{p("2025-12-31", 50, 0), p("2026-01-01", 0, 0), p("2026-01-02", 0, 0)},
			`{"download_bytes":50,"upload_bytes":0,"total_bytes":50,"average_daily_bytes":17}`,
			[]string{svc(voice, "Voice Basic", 50)}, `{"direction":"flat","change_percent":null}`)},
		// A span without usage: empty periods, no services; the trend is
		// still today's.
		{"?from=2020-01-01&to=2020-02-29", history("month", "2020-01-01", "2020-02-29",
			[]string{p("2020-01-01", 0, 0), p("2020-02-01", 0, 0)},
			`{"download_bytes":0,"upload_bytes":0,"total_bytes":0,"average_daily_bytes":0}`, nil, falling)},
	}
	for _, tt := range tests {
		r := e.do(req{method: "GET", path: cp + "/usage-history" + tt.query, key: viewerKey}).want(t, 200)
		matchSchema(t, doc, "UsageHistory", r.body)
		var want, got any
		if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GET usage-history%s (-want +got):\n%s", tt.query, diff)
		}
	}

	other := e.createCustomer(map[string]any{"email": "other@example.com", "phone": "+12125550199"})
	otherService := e.addService(other.ID, nil)
	errs := []struct {
		query, field, message string
	}{
		{"?granularity=year", "granularity", "must be one of day, week, month"},
		{"?from=2025-02-30", "from", "must be a date as YYYY-MM-DD"},
		{"?from=1899-12-31", "from", "must be between 1900-01-01 and 2100-12-31"},
		{"?to=2101-01-01", "to", "must be between 1900-01-01 and 2100-12-31"},
		{"?from=2025-02-01&to=2025-01-31", "to", "must not be before from"},
		{"?from=2026-01-03", "from", "must not be after to (today when to is not given)"},
		{"?granularity=day&from=2023-01-01&to=2026-01-05", "granularity", "from 2023-01-01 to 2026-01-05 by day is 1101 periods, more than 1100"},
		{"?from=1900-01-01&to=2100-12-31", "from", "from 1900-01-01 to 2100-12-31 by month is 2412 periods, more than 1100"},
		{"?service_id=" + otherService, "service_id", "is not a service of this customer"},
		{"?service_id=nope", "service_id", "is not a service of this customer"},
		{"?service_id=", "service_id", "must not be empty"},
		{"?months=12", "months", "is not a known query parameter"},
	}
	for _, tt := range errs {
		p := e.do(req{method: "GET", path: cp + "/usage-history" + tt.query, key: viewerKey}).want(t, 400).problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Message != tt.message {
			t.Errorf("%s: errors %+v, want one naming %s: %s", tt.query, p.Errors, tt.field, tt.message)
		}
	}
	// 1,100 days are the most a daily history holds.
	e.do(req{method: "GET", path: cp + "/usage-history?granularity=day&from=2023-01-01&to=2026-01-04", key: viewerKey}).want(t, 200)
	e.do(req{method: "GET", path: "/api/v1/customers/0190a7e2-0000-7000-8000-000000000001/usage-history", key: viewerKey}).want(t, 404)
	e.do(req{method: "GET", path: cp + "/usage-history", key: ""}).want(t, 401)
}
