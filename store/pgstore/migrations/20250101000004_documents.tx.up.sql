-- Documents of a customer: metadata here, content in a blob bucket under
-- object_key. Rows follow the conventions of the initial schema: keyed and
-- indexed by customer_id first, "C"-collated ids.
CREATE TABLE documents (
    customer_id        text COLLATE "C" NOT NULL REFERENCES customers (id),
    id                 text COLLATE "C" NOT NULL,
    name               text NOT NULL,
    document_type      text NOT NULL,
    object_key         text COLLATE "C" NOT NULL,
    file_size          bigint NOT NULL,
    mime_type          text NOT NULL,
    sha256             text NOT NULL,
    upload_date        timestamptz NOT NULL,
    uploaded_by        text NOT NULL,
    expiration_date    date,
    is_active          boolean NOT NULL,
    requires_signature boolean NOT NULL,
    signature_status   text NOT NULL,
    -- A JSON array of strings; never filtered on.
    tags               jsonb NOT NULL,
    scan_status        text NOT NULL,
    version            bigint NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);

-- The orphan sweep asks which object keys have a row.
CREATE INDEX documents_object_key_idx ON documents (object_key);

-- Documents awaiting a malware scan (ScanPending), usually none.
CREATE INDEX documents_scan_pending_idx ON documents (id) WHERE scan_status = 'pending';
