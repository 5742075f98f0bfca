-- What a service delivers (customer.ServiceType). Existing services are
-- internet access. Only internet access requires a technology; the others
-- store '' when they name none.
ALTER TABLE services ADD COLUMN service_type text NOT NULL DEFAULT 'internet';
