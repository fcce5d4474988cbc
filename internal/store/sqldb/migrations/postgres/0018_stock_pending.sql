-- +goose Up
-- Stock rollup deltas not yet added to stock_rollup: each row is what one
-- transaction's ledger movements add to the rollup (an encoded delta, see
-- stock_journal.go), written in that transaction and folded into
-- stock_rollup soon after, oldest first. stock_rollup plus these rows is
-- what every movement added; stock reports and the checker add them to what
-- they read.
CREATE TABLE stock_pending (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delta BYTEA NOT NULL
);

-- +goose Down
DROP TABLE stock_pending;
