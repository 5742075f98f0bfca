package httpapi

import (
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
)

// contactComponents are the components of the contacts module.
func contactComponents() components {
	return components{
		parameters: obj{"ContactID": pathID("contact_id")},
		schemas: obj{
			"Contact":      contactSchema(),
			"ContactInput": closed(object([]string{"name", "contact_type"}, contactInputProps())),
			"ContactPatch": closed(object(nil, contactInputProps())),
			"ContactList":  page("contacts", "Contact"),
		},
	}
}

// contactInputProps are the writable fields of a contact.
func contactInputProps() obj {
	phone := "Normalised to E.164; a number without country code is read in the customer's billing country."
	return obj{
		"name":                     strLen("", 1, 100),
		"title":                    strLen("", 0, 100),
		"email":                    obj{"type": "string", "format": "email", "maxLength": 254, "description": "At least one of email, phone and mobile is required."},
		"phone":                    strLen(phone, 10, 20),
		"mobile":                   strLen(phone, 10, 20),
		"contact_type":             enumOf("", contact.Types),
		"is_primary":               boolean("At most one primary contact per type; setting it demotes the previous one."),
		"can_authorize_changes":    boolean("May instruct changes to the account."),
		"preferred_contact_method": enumOf("Default email when an email is given, else phone; sms needs a mobile number.", customer.ContactMethods),
		"notes":                    strLen("", 0, 2000),
	}
}

// contactSchema is the Contact schema.
func contactSchema() obj {
	return object([]string{"id", "customer_id", "name", "title", "email", "phone", "mobile", "contact_type", "is_primary",
		"can_authorize_changes", "preferred_contact_method", "notes", "version", "created_at", "updated_at"}, obj{
		"id":                       obj{"type": "string", "format": "uuid"},
		"customer_id":              obj{"type": "string", "format": "uuid"},
		"name":                     str(""),
		"title":                    str(""),
		"email":                    str("Empty when none."),
		"phone":                    str("E.164; empty when none."),
		"mobile":                   str("E.164; empty when none."),
		"contact_type":             enumOf("", contact.Types),
		"is_primary":               boolean(""),
		"can_authorize_changes":    boolean(""),
		"preferred_contact_method": enumOf("", customer.ContactMethods),
		"notes":                    str(""),
		"version":                  obj{"type": "integer", "minimum": 1},
		"created_at":               timestamp(""),
		"updated_at":               timestamp(""),
	})
}
