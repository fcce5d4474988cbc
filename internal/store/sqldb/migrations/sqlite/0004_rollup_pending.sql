-- +goose Up
-- Report rollup deltas not yet added to the rollup tables: each row is one
-- transaction's change to them (an encoded delta, see rollup_journal.go),
-- written in that transaction and folded into the tables soon after. The
-- rollup tables plus these rows are the sum of every order's contribution.
CREATE TABLE rollup_pending (
    id    INTEGER PRIMARY KEY,
    delta BLOB NOT NULL
);
