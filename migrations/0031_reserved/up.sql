-- Placeholder on the `outbox` branch only: number 0031 belongs to another branch's work
-- (issue 17's backup side or the reports). Migration numbers must be consecutive, so this
-- empty step lets 0032 run here; at the merge this directory is dropped in favour of the
-- real 0031.
SELECT 1;
