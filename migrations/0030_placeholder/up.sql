-- Placeholder on the backup branch only: 0030 is the hand-over (outbox) migration of the
-- other branch. When both are merged, this directory is deleted and 0030 is the outbox's.
SELECT 1;
