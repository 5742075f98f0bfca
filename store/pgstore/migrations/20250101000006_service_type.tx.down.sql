ALTER TABLE services DROP COLUMN IF EXISTS service_type;
