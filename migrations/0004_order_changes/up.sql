-- stationdesk 0004: what a change request (更名, 过户, 改类, 增容, 减容) will change on the
-- customer's file when the order finishes: a JSON object of the new values, '' for none.
ALTER TABLE work_order ADD COLUMN change_to TEXT NOT NULL DEFAULT '';
