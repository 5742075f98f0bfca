package httpapi

import "github.com/ispstack/crm/customer"

// customerComponents are the components of the customers module:
// customers, their lifecycle, status history, audit trail and services.
func customerComponents() components {
	address := object([]string{"street", "city", "state", "postal_code", "country"}, obj{
		"street":      strLen("", 1, 200),
		"unit":        strLen("", 0, 50),
		"city":        strLen("", 1, 100),
		"state":       strLen("Two-letter code for US addresses.", 1, 100),
		"postal_code": strLen("ZIP code for US addresses.", 1, 20),
		"country":     obj{"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2."},
		"coordinates": sref("Coordinates"),
	})
	prefs := object([]string{"marketing_emails", "service_notifications", "billing_reminders", "outage_alerts"}, obj{
		"marketing_emails":      boolean(""),
		"service_notifications": boolean(""),
		"billing_reminders":     boolean(""),
		"outage_alerts":         boolean(""),
	})
	emergency := object([]string{"name", "phone"}, obj{
		"name":         strLen("", 1, 100),
		"relationship": strLen("", 0, 50),
		"phone":        strLen("Normalised to E.164.", 10, 20),
		"email":        obj{"type": "string", "format": "email"},
	})
	customerList := page("customers", "Customer")
	customerList["properties"].(obj)["total_count"] = obj{"type": "integer", "description": "With include_total=true."}
	return components{
		parameters: obj{"ServiceID": pathID("service_id")},
		schemas: obj{
			"Address":                  address,
			"Coordinates":              object([]string{"latitude", "longitude"}, obj{"latitude": obj{"type": "number", "minimum": -90, "maximum": 90}, "longitude": obj{"type": "number", "minimum": -180, "maximum": 180}}),
			"CommunicationPreferences": prefs,
			"EmergencyContact":         emergency,
			"Customer":                 customerSchema(),
			"Input":                    closed(object([]string{"name", "email", "phone", "customer_type", "billing_address"}, customerInputProps())),
			"CustomerPatch":            closed(object(nil, customerInputProps())),
			"CustomerList":             customerList,
			"CustomerDetails": obj{"allOf": []any{sref("Customer"), object(nil, obj{
				"services":          arrayOf(sref("Service")),
				"services_has_more": boolean("More services exist than embedded; page through /services."),
				"billing_summary":   obj{"allOf": []any{sref("BillingSummary")}, "description": "Computed from the invoice and payment feeds, as of the customer's stored analytics (refreshed with every feed batch and change to the customer, and by the sweep); what the customer record knows where the deployment reads details from it alone."},
				"account_metrics":   sref("AccountMetrics"),
				"support_tickets":   arrayOf(sref("SupportTicket")),
			})}},
			// The figures come from the feeds, kept with each customer's
			// analytics profile, unless the server's services are built with
			// app.Options.DetailsFromRecord: then from the customer record
			// alone (zero balance, no payments, no tickets).
			"BillingSummary": object([]string{"current_balance", "last_payment_date", "last_payment_amount", "payment_method", "auto_pay_enabled", "credit_limit"}, obj{
				"current_balance":     money("Open invoices minus succeeded payments plus refunds, counting only payments and refunds that name no settled (paid, void, uncollectible) invoice; negative is credit."),
				"last_payment_date":   orNull(date("The latest succeeded payment's (UTC).")),
				"last_payment_amount": orNull(money("The latest succeeded payment's.")),
				"payment_method":      obj{"type": []any{"string", "null"}, "description": "The latest payment's that is not a refund."},
				"auto_pay_enabled":    boolean("The latest payment's that is not a refund."),
				"credit_limit":        orNull(money("")),
			}),
			"AccountMetrics": object([]string{"customer_since", "lifetime_value", "monthly_recurring_revenue", "churn_risk_score", "satisfaction_score", "support_tickets_count"}, obj{
				"customer_since":            date("The earliest start date of the customer's services started by the last refresh; its creation date without any."),
				"lifetime_value":            money("Succeeded payments minus refunds, all time."),
				"monthly_recurring_revenue": money(""),
				"churn_risk_score": obj{"type": []any{"number", "null"}, "minimum": 0, "maximum": 100,
					"description": "The churn score (0–100) of the customer's stored analytics, as GET …/churn-risk computed it when they were last refreshed (computed on the read for a customer whose analytics were never stored); null where details come from the customer record alone."},
				"satisfaction_score":    obj{"type": []any{"number", "null"}, "description": "Mean rating, to one decimal, of the tickets opened in the last 12 months."},
				"support_tickets_count": obj{"type": "integer"},
			}),
			"SupportTicket": object([]string{"id", "subject", "status", "priority", "created_at"}, obj{
				"id": str(""), "subject": str(""), "status": str(""), "priority": str(""), "created_at": timestamp(""),
			}),
			"Suspension": object([]string{"reason", "since"}, obj{
				"reason": enumOf("", customer.SuspensionReasons), "notes": str(""), "since": timestamp(""),
				"until": timestamp("Automatic reactivation."),
			}),
			"SuspendInput": closed(object([]string{"reason"}, obj{
				"reason": enumOf("", customer.SuspensionReasons), "notes": strLen("", 0, 2000),
				"until": timestamp("Must be in the future: the customer is reactivated then."),
			})),
			"ReactivateInput": closed(object(nil, obj{
				"notes":    strLen("", 0, 2000),
				"override": boolean("Lift a non-payment suspension although a balance is owed (admin only)."),
			})),
			"StatusChange": object([]string{"id", "customer_id", "from", "to", "actor_id", "at"}, obj{
				"id": str(""), "customer_id": str(""),
				"from": obj{"type": "string", "description": "Empty for the first entry."},
				"to":   enumOf("", customer.Statuses), "reason": enumOf("", customer.SuspensionReasons),
				"notes": str(""), "until": timestamp(""), "actor_id": str("API key id."), "request_id": str(""), "at": timestamp(""),
			}),
			"StatusHistory": object([]string{"status_history"}, obj{"status_history": arrayOf(sref("StatusChange"))}),
			"Service":       serviceSchema(),
			"ServiceInput":  serviceInputSchema(),
			"ServicePatch":  closed(object(nil, serviceInputProps())),
			"ServiceList":   page("services", "Service"),
			"AuditEntry": object([]string{"id", "customer_id", "entity", "entity_id", "action", "actor_id", "changes", "at"}, obj{
				"id": str(""), "customer_id": str(""), "entity": str("customer, service, contact, …"), "entity_id": str(""),
				"action": str("create, update, suspend, reactivate, delete, …"), "actor_id": str("API key id."),
				"request_id": str(""), "changes": arrayOf(sref("FieldChange")), "at": timestamp(""),
			}),
			"FieldChange": object([]string{"field", "before", "after"}, obj{
				"field": str("Dotted path."), "before": anyJSON("Value before, masked where personal; null when absent."),
				"after": anyJSON("Value after, masked where personal; null when absent."),
			}),
			"AuditEntryList": page("audit_entries", "AuditEntry"),
		},
	}
}

// customerInputProps are the writable fields of a customer.
func customerInputProps() obj {
	return obj{
		"name":                      strLen("", 1, 100),
		"email":                     obj{"type": "string", "format": "email", "maxLength": 254},
		"phone":                     strLen("Normalised to E.164.", 10, 20),
		"customer_type":             enumOf("", customer.Types),
		"billing_address":           sref("Address"),
		"service_address":           orNull(sref("Address")),
		"tax_id":                    obj{"type": []any{"string", "null"}, "writeOnly": true, "description": "SSN (residential) or EIN (others). Write-only: absent keeps, null clears."},
		"company":                   strLen("", 0, 100),
		"industry":                  strLen("", 0, 50),
		"credit_score":              obj{"type": []any{"integer", "null"}, "minimum": 300, "maximum": 850},
		"preferred_contact":         enumOf("Default email.", customer.ContactMethods),
		"communication_preferences": sref("CommunicationPreferences"),
		"emergency_contact":         orNull(sref("EmergencyContact")),
		"notes":                     strLen("", 0, 2000),
		"external_id": orNull(strLen("The customer's id in the system it was imported from, trimmed; unique among customers that are not deleted. "+
			"Absent or null: none (in a PATCH, null removes it).", 0, 255)),
		"customer_since": orNull(date("When the relationship started, backdated for migrated customers: from 1900-01-01 to today (UTC). " +
			"Absent or null: the creation date, also in a PUT (which replaces every writable field); in a PATCH, null resets it.")),
	}
}

// customerSchema is the Customer schema.
func customerSchema() obj {
	return object([]string{"id", "account_number", "name", "email", "phone", "customer_type", "status",
		"billing_address", "service_address", "credit_score", "preferred_contact", "communication_preferences",
		"emergency_contact", "suspension", "customer_since", "version", "created_at", "updated_at"}, obj{
		"id":                        obj{"type": "string", "format": "uuid"},
		"account_number":            obj{"type": "string", "pattern": "^[0-9]{10}$", "description": "Ten digits, the last a Luhn check digit."},
		"name":                      str(""),
		"email":                     str(""),
		"phone":                     str("E.164."),
		"customer_type":             enumOf("", customer.Types),
		"status":                    enumOf("", customer.Statuses),
		"billing_address":           sref("Address"),
		"service_address":           orNull(sref("Address")),
		"tax_id_last4":              obj{"type": "string", "pattern": "^[0-9]{4}$", "description": "Last four digits of the tax id, when one is stored."},
		"company":                   str(""),
		"industry":                  str(""),
		"credit_score":              obj{"type": []any{"integer", "null"}},
		"preferred_contact":         enumOf("", customer.ContactMethods),
		"communication_preferences": sref("CommunicationPreferences"),
		"emergency_contact":         orNull(sref("EmergencyContact")),
		"notes":                     str(""),
		"suspension":                orNull(sref("Suspension")),
		"external_id":               str("The customer's id in the system it was imported from; absent when none."),
		"customer_since":            date("When the relationship started: the creation date (UTC) unless backdated."),
		"version":                   obj{"type": "integer", "minimum": 1},
		"created_at":                timestamp(""),
		"updated_at":                timestamp(""),
	})
}

// serviceInputProps are the writable fields of a service.
func serviceInputProps() obj {
	return obj{
		"plan_name":    strLen("", 1, 100),
		"service_type": enumOf("What the service delivers.", customer.ServiceTypes),
		"technology": orNull(enumOf("Access technology: required when service_type is internet, optional for the other types. "+
			"Absent or null means none (in a PATCH, null removes it).", customer.Technologies)),
		"status":              enumOf("Default active.", customer.SubscriptionStatuses),
		"monthly_price":       money("Major units, at most two decimals."),
		"contract_term":       enumOf("Default month_to_month.", customer.ContractTerms),
		"start_date":          date("May lie in the past."),
		"end_date":            orNull(date("")),
		"bandwidth_down_mbps": integer("", 0, 1_000_000),
		"bandwidth_up_mbps":   integer("", 0, 1_000_000),
		"service_address":     orNull(sref("Address")),
	}
}

// serviceInputSchema is the ServiceInput schema: a new service is internet
// access unless it says otherwise.
func serviceInputSchema() obj {
	props := serviceInputProps()
	typ := enumOf("What the service delivers. Default internet.", customer.ServiceTypes)
	typ["default"] = string(customer.ServiceInternet)
	props["service_type"] = typ
	return closed(object([]string{"plan_name", "monthly_price", "start_date"}, props))
}

// serviceSchema is the Service schema. Its technology is absent when the
// service names none.
func serviceSchema() obj {
	props := serviceInputProps()
	props["technology"] = enumOf("Access technology; absent when a service other than internet names none.", customer.Technologies)
	props["id"] = obj{"type": "string", "format": "uuid"}
	props["customer_id"] = obj{"type": "string", "format": "uuid"}
	props["version"] = obj{"type": "integer", "minimum": 1}
	props["created_at"] = timestamp("")
	props["updated_at"] = timestamp("")
	return object([]string{"id", "customer_id", "plan_name", "service_type", "status", "monthly_price", "contract_term", "start_date",
		"end_date", "bandwidth_down_mbps", "bandwidth_up_mbps", "service_address", "version", "created_at", "updated_at"}, props)
}

// listParameters are the query parameters of GET /customers; with the
// analytics module, also the analytics filters and segment_id.
func listParameters(withAnalytics bool) []any {
	params := customerFilterParameters()
	if withAnalytics {
		params = append(params, analyticsFilterParameters(nil)...)
		params = append(params, segmentIDParameter())
	}
	return append(params,
		queryParam("sort", obj{"type": "string", "pattern": "^-?(name|created_at|credit_score|account_number)$",
			"default": "created_at", "description": "Sort field, prefixed with - for descending."}),
		pref("Limit"),
		pref("Cursor"),
		queryParam("include_total", obj{"type": "boolean", "default": false, "description": "Adds total_count."}),
	)
}

// listErrors are the problem statuses of GET /customers: with the
// analytics module, 404 for a segment_id that names no segment.
func listErrors(withAnalytics bool) []string {
	if withAnalytics {
		return []string{"400", "404"}
	}
	return []string{"400"}
}

// customerFilterParameters are the filter conditions of the customer
// list (customer.FilterParams), as query parameters.
func customerFilterParameters() []any {
	return []any{
		queryParam("status", enumOf("", customer.Statuses)),
		queryParam("customer_type", enumOf("", customer.Types)),
		queryParam("q", strLen("Search over name, email, phone, account number and company.", 0, 100)),
		queryParam("created_after", timestamp("RFC 3339.")),
		queryParam("created_before", timestamp("RFC 3339.")),
		queryParam("city", str("Billing address city, case-insensitive.")),
		queryParam("state", str("Billing address state, case-insensitive.")),
		queryParam("postal_code", str("Billing address postal code.")),
		queryParam("min_credit_score", integer("", 300, 850)),
		queryParam("max_credit_score", integer("", 300, 850)),
		queryParam("preferred_contact", enumOf("", customer.ContactMethods)),
		queryParam("external_id", strLen("The customer with this external id, matched exactly.", 0, 255)),
	}
}
