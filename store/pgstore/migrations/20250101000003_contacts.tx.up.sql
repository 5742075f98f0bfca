-- Contacts of a customer (package contact). As every child table, keyed
-- and indexed by customer_id first, so the schema can be distributed by
-- customer_id. Rows are deleted, not blanked: a contact is removed by
-- DELETE /contacts/{id} and when its customer is closed (erased); the
-- audit trail keeps a masked record.
CREATE TABLE contacts (
    customer_id              text COLLATE "C" NOT NULL REFERENCES customers (id),
    id                       text COLLATE "C" NOT NULL,
    name                     text NOT NULL,
    title                    text NOT NULL,
    email                    text NOT NULL,
    phone                    text NOT NULL,
    mobile                   text NOT NULL,
    contact_type             text NOT NULL,
    is_primary               boolean NOT NULL,
    can_authorize_changes    boolean NOT NULL,
    preferred_contact_method text NOT NULL,
    notes                    text NOT NULL,
    version                  bigint NOT NULL,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    PRIMARY KEY (customer_id, id)
);

-- At most one primary contact per customer and type. The service demotes
-- the previous primary first; the index is the backstop, and its name is
-- what pgstore maps to a conflict on is_primary.
CREATE UNIQUE INDEX contacts_primary_key ON contacts (customer_id, contact_type) WHERE is_primary;

-- The contact_type filter of a customer's list, in id (page) order.
CREATE INDEX contacts_type_idx ON contacts (customer_id, contact_type, id);
