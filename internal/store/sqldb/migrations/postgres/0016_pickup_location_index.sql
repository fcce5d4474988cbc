-- +goose Up
-- A pickup store's fulfillment list reads the orders picked up there
-- through this index (store.DB.LocationFulfillments), rather than every
-- order: at a million orders the list took 650 ms without it.
CREATE INDEX orders_pickup_location ON orders (pickup_location, seq) WHERE pickup_location IS NOT NULL;

-- +goose Down
DROP INDEX orders_pickup_location;
