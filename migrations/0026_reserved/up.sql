-- Placeholder on the `collect` branch only: number 0026 belongs to the readings and bills
-- work on `main`. Migration numbers must be consecutive, so this empty step lets 0027 run
-- here; at the merge this directory is dropped in favour of main's 0026.
SELECT 1;
