-- Per-upstream overrides of upstreams.transferDeadline and upstreams.minTransferRate; NULL: the instance's setting.
ALTER TABLE upstreams
    ADD COLUMN transfer_deadline_s BIGINT CHECK (transfer_deadline_s > 0),
    ADD COLUMN min_transfer_rate   BIGINT CHECK (min_transfer_rate >= 0);
