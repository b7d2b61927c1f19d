-- An assessment entry about the chief himself is not his to decide: when he tries, it is
-- marked for the county company (待上级审核), visible to the auditor, and stays pending.
ALTER TABLE assessment_entry ADD COLUMN for_county INTEGER NOT NULL DEFAULT 0 CHECK (for_county IN (0, 1));
