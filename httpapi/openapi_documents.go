package httpapi

import "github.com/ispstack/crm/document"

// documentComponents are the components of the documents module.
func documentComponents() components {
	return components{
		parameters: obj{"DocumentID": pathID("document_id")},
		schemas: obj{
			"Document":     documentSchema(),
			"DocumentList": page("documents", "Document"),
			"DocumentUpload": object([]string{"file", "name", "document_type"}, obj{
				"file":               obj{"type": "string", "contentMediaType": "application/octet-stream", "description": "The file; its type is sniffed from the content (PDF, PNG, JPEG, TIFF, DOCX, XLSX, plain text)."},
				"name":               strLen("", 1, 200),
				"document_type":      enumOf("", document.Types),
				"expiration_date":    date(""),
				"requires_signature": obj{"type": "boolean", "default": false, "description": "true starts signature_status at pending."},
				"tags":               obj{"type": "array", "maxItems": document.MaxTags, "items": strLen("", 1, document.MaxTagLength), "description": "Repeated parts or one comma-separated part."},
			}),
			"DocumentPatch": closed(object(nil, documentMetadataProps())),
		},
	}
}

// uploadTypes are the content types an upload may have, for the document.
var uploadTypes = []string{"application/pdf", "image/png", "image/jpeg", "image/tiff",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain"}

// documentMetadataProps are the writable metadata of a document.
func documentMetadataProps() obj {
	return obj{
		"name":               strLen("", 1, 200),
		"document_type":      enumOf("", document.Types),
		"expiration_date":    orNull(date("")),
		"requires_signature": boolean(""),
		"signature_status":   enumOf("not_required exactly when requires_signature is false.", document.SignatureStatuses),
		"tags":               obj{"type": "array", "maxItems": document.MaxTags, "items": strLen("", 1, document.MaxTagLength)},
	}
}

// documentSchema is the Document schema: metadata, file facts and state.
func documentSchema() obj {
	props := documentMetadataProps()
	props["id"] = obj{"type": "string", "format": "uuid"}
	props["customer_id"] = obj{"type": "string", "format": "uuid"}
	props["file_url"] = str("Path of the content (GET it with the same key).")
	props["file_size"] = obj{"type": "integer", "minimum": 1}
	props["mime_type"] = str("Sniffed from the content.")
	props["sha256"] = obj{"type": "string", "pattern": "^[0-9a-f]{64}$"}
	props["upload_date"] = timestamp("")
	props["uploaded_by"] = str("API key id.")
	props["is_active"] = boolean("false once deactivated.")
	props["scan_status"] = enumOf("not_scanned without a malware scanner; content is served only when not_scanned or clean.", document.ScanStatuses)
	props["version"] = obj{"type": "integer", "minimum": 1}
	props["updated_at"] = timestamp("")
	return object([]string{"id", "customer_id", "name", "document_type", "file_url", "file_size", "mime_type", "sha256",
		"upload_date", "uploaded_by", "expiration_date", "is_active", "requires_signature", "signature_status", "tags",
		"scan_status", "version", "updated_at"}, props)
}
