-- The host's readiness check (pcikit/check/v1, the agent's GET /v1/check): with the inventory it
-- is what `pcikit export FORMAT --db` computes a host's scheduler documents from.
ALTER TABLE hosts ADD COLUMN readiness jsonb;
ALTER TABLE hosts ADD COLUMN readiness_at timestamptz;
