-- +goose Up
-- A delivery round of an endpoint (store.DB.ClaimEndpointDeliveries) and
-- the sweep for endpoints with deliveries due read the endpoint's open
-- deliveries in event order through this index, stopping at the first
-- ones eligible, rather than every delivery the endpoint ever had in
-- event order (the unique index), which slowed each round as deliveries
-- piled up.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, event_seq, next_attempt_at) WHERE status IN ('pending', 'failed');

-- +goose Down
DROP INDEX webhook_deliveries_due;
