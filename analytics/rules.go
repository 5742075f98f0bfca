package analytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// Rules are the conditions of a Segment: filters of the customer list by
// their query parameter names (customer.FilterParams and
// ProfileFilterParams), each value in the form the list's query string
// takes ("active", "650", "49.99", "true", an RFC 3339 time). A rule
// means what the parameter means, and a customer is a member when it
// meets every rule: a segment is a saved list query.
//
// In JSON, Rules are an object whose values are strings, numbers or
// booleans, taken as their text (a null value is no rule); they are
// written back with the JSON type of their parameter: numbers for scores,
// months and amounts, booleans for autopay and has_open_tickets, strings
// otherwise.
type Rules map[string]string

// RuleParams are the keys Rules may hold, customer.FilterParams then
// ProfileFilterParams.
func RuleParams() []string { return slices.Concat(customer.FilterParams, ProfileFilterParams) }

// ruleKind is the JSON type a rule is written with.
type ruleKind int

const (
	ruleString ruleKind = iota
	ruleInteger
	ruleAmount
	ruleBoolean
)

// ruleKinds are the rules that are not written as strings.
var ruleKinds = map[string]ruleKind{
	"min_credit_score": ruleInteger, "max_credit_score": ruleInteger,
	"min_churn_score": ruleInteger, "max_churn_score": ruleInteger,
	"min_tenure_months": ruleInteger, "max_tenure_months": ruleInteger,
	"min_mrr": ruleAmount, "max_mrr": ruleAmount, "min_ltv": ruleAmount,
	"autopay": ruleBoolean, "has_open_tickets": ruleBoolean,
}

// ParseRules reads the Conditions that r stands for, through the parsers
// of the list's query string (customer.ParseFilter, ParseProfileFilter).
// Errors: invalid, naming each unknown key and each bad value as
// "rules.<key>".
func ParseRules(r Rules) (Conditions, error) {
	var p crm.Problems
	known := RuleParams()
	for _, k := range slices.Sorted(maps.Keys(r)) {
		if !slices.Contains(known, k) {
			p.Add("rules."+k, "is not a filter of the customer list")
		}
	}
	var c Conditions
	var err error
	if c.Customer, err = customer.ParseFilter(r); err != nil {
		p = append(p, prefixed("rules.", err)...)
	}
	if c.Profile, err = ParseProfileFilter(r); err != nil {
		p = append(p, prefixed("rules.", err)...)
	}
	return c, p.Err()
}

// prefixed returns the field errors of err with prefix before each field.
func prefixed(prefix string, err error) crm.Problems {
	var p crm.Problems
	for _, f := range crm.ErrorFields(err) {
		p.Add(prefix+f.Field, f.Message)
	}
	return p
}

// MarshalJSON writes r as an object, each rule with the JSON type of its
// parameter; a value that does not parse as that type (which validated
// rules never hold) is written as a string.
func (r Rules) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(r)) {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		v, err := json.Marshal(ruleValue(k, r[k]))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ruleValue is the value of rule k with text v as JSON writes it.
func ruleValue(k, v string) any {
	switch ruleKinds[k] {
	case ruleInteger:
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	case ruleAmount:
		if m, err := crm.ParseMoney(v); err == nil {
			return m
		}
	case ruleBoolean:
		if v == "true" || v == "false" {
			return v == "true"
		}
	}
	return v
}

// UnmarshalJSON reads an object of strings, numbers and booleans, each as
// its text; a null value is no rule. Other values are refused.
func (r *Rules) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*r = nil
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return errors.New("must be an object")
	}
	out := make(Rules, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := bytes.TrimSpace(raw[k])
		switch {
		case bytes.Equal(v, []byte("null")):
		case len(v) > 0 && v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			out[k] = s
		case len(v) > 0 && (v[0] == '{' || v[0] == '['):
			return fmt.Errorf("must hold strings, numbers and booleans: the value of %s is not one", strconv.Quote(k))
		default: // a number, true or false: their JSON text is their query-string text
			out[k] = string(v)
		}
	}
	*r = out
	return nil
}
