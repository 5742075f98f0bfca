package httpapi

import "github.com/ispstack/crm/analytics"

// usageHistoryParams are the query parameters of the usage history.
func usageHistoryParams() []any {
	param := func(name, desc string, schema obj) obj {
		p := queryParam(name, schema)
		p["description"] = desc
		return p
	}
	granularity := enumOf("", analytics.Granularities)
	granularity["default"] = string(analytics.GranularityMonth)
	return []any{pref("CustomerID"),
		param("from", "The first day covered (UTC date); default: 12 calendar months before to.", date("")),
		param("to", "The last day covered (UTC date), not before from; default: the server's date (UTC).", date("")),
		param("granularity", "The periods: days, ISO weeks (Monday to Sunday) or calendar months. At most "+
			itoa(analytics.MaxUsagePeriods)+" periods may hold a day from from to to, else 400 (naming granularity, or from when even months are too many).",
			granularity),
		param("service_id", "Restricts the history, trend included, to this service of the customer; 400 naming service_id when it is not one.",
			obj{"type": "string", "minLength": 1}),
	}
}

// usageHistoryComponents are the schemas of the usage history.
func usageHistoryComponents() components {
	bytes := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	return components{schemas: obj{
		"UsageHistory": closed(object([]string{"customer_id", "granularity", "from", "to", "periods", "totals", "by_service", "trend"}, obj{
			"customer_id": obj{"type": "string", "format": "uuid"},
			"granularity": enumOf("", analytics.Granularities),
			"from":        date("The first day covered."),
			"to":          date("The last day covered."),
			"periods": obj{"type": "array", "items": sref("UsagePeriod"), "maxItems": analytics.MaxUsagePeriods,
				"description": "Every period that holds a day from from to to, oldest first, those without usage with zeros. The first starts on the start of the period holding from " +
					"(the Monday on or before it for a week, the 1st of its month for a month), which may be before from; the first and last count only the days from from to to."},
			"totals": sref("UsageTotals"),
			"by_service": obj{"type": "array", "items": sref("ServiceUsage"),
				"description": "The services with usage records from from to to, by total_bytes descending, then service_id."},
			"trend": sref("UsageTrend"),
		})),
		"UsagePeriod": closed(object([]string{"period_start", "download_bytes", "upload_bytes", "total_bytes"}, obj{
			"period_start":   date("The period's first day."),
			"download_bytes": bytes(""),
			"upload_bytes":   bytes(""),
			"total_bytes":    bytes("download_bytes + upload_bytes."),
		})),
		"UsageTotals": closed(object([]string{"download_bytes", "upload_bytes", "total_bytes", "average_daily_bytes"}, obj{
			"download_bytes":      bytes("The sum of the periods'."),
			"upload_bytes":        bytes("The sum of the periods'."),
			"total_bytes":         bytes("The sum of the periods'."),
			"average_daily_bytes": bytes("total_bytes / the number of days from from to to (both included), rounded to a whole byte, half away from zero."),
		})),
		"ServiceUsage": closed(object([]string{"service_id", "plan_name", "total_bytes"}, obj{
			"service_id":  obj{"type": "string", "format": "uuid"},
			"plan_name":   str("The service's plan name."),
			"total_bytes": bytes("The service's download and upload bytes from from to to."),
		})),
		"UsageTrend": closed(object([]string{"direction", "change_percent"}, obj{
			"direction": enumOf("rising above +10 %, falling below −10 %, flat within (bounds included) or when the earlier window has no usage.",
				analytics.TrendDirections),
			"change_percent": orNull(obj{"type": "number", "description": "The change from the earlier window's bytes to the later's, in percent, one decimal (half away from zero); " +
				"null when the earlier window has no usage. The later window is the last 3 calendar months before the server's clock (whatever from and to are), " +
				"the earlier the 3 months before: the churn model's usage_trend."}),
		})),
	}}
}
