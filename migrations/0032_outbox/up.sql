-- Hand-over to the provincial marketing system (issue 17, docs/handover.md).
--
-- The outbox: one record per row inserted, changed or deleted in a handed-over table,
-- written by the triggers at the end of this file in the change's own transaction.
-- `seq` is the rowid: records are never deleted or edited (triggers below), so the numbers
-- run 1, 2, 3 … without a gap (a transaction rolled back takes its numbers with it).
-- `state` is the row as it became (JSON) for changing tables; append-only tables (rows
-- never change) record the key only and the export reads the row.
CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY,
    entity   TEXT NOT NULL,
    row_key  NOT NULL,
    op       TEXT NOT NULL CHECK (op IN ('I', 'U', 'D')),
    state    TEXT
);
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'hand-over records are never edited'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'hand-over records are never deleted'); END;

-- The audit entry that closed each transaction's records (store::outbox::close, from
-- audit::append): their time, and the random nonce drawn at commit from which each
-- record's UUID is made (domain::handover::record_uuid).
CREATE TABLE outbox_commit (
    last_seq   INTEGER PRIMARY KEY,
    first_seq  INTEGER NOT NULL,
    audit_seq  INTEGER NOT NULL,
    at         TEXT NOT NULL,
    nonce      BLOB NOT NULL DEFAULT (randomblob(16)),
    CHECK (first_seq <= last_seq)
);
CREATE TRIGGER outbox_commit_no_update BEFORE UPDATE ON outbox_commit BEGIN SELECT RAISE(ABORT, 'hand-over records are never edited'); END;
CREATE TRIGGER outbox_commit_no_delete BEFORE DELETE ON outbox_commit BEGIN SELECT RAISE(ABORT, 'hand-over records are never deleted'); END;

-- Bundles written for the county: a range of records, pending until confirmed upstream.
-- At most one is pending; each starts right after the one before (no gap, no overlap).
-- What a bundle holds is fixed when it is made (range, offset, chain head, station), so
-- exporting it again writes the same bytes.
CREATE TABLE handover_bundle (
    id               INTEGER PRIMARY KEY,
    bundle_id        TEXT NOT NULL UNIQUE,
    station_code     TEXT NOT NULL,
    station_name     TEXT NOT NULL,
    seq_from         INTEGER NOT NULL,
    seq_to           INTEGER NOT NULL,
    utc_offset       TEXT NOT NULL,
    head_seq         INTEGER NOT NULL,
    head_hash        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       INTEGER REFERENCES staff(id),
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed')),
    confirmed_at     TEXT,
    confirmed_by     INTEGER REFERENCES staff(id),
    manifest_sha256  TEXT,
    counts           TEXT,
    CHECK (seq_to >= seq_from),
    CHECK ((state = 'confirmed') = (confirmed_at IS NOT NULL))
);
CREATE UNIQUE INDEX bundle_one_pending ON handover_bundle(state) WHERE state = 'pending';
CREATE TRIGGER bundle_follows BEFORE INSERT ON handover_bundle
WHEN NEW.id IS NOT coalesce((SELECT max(id) FROM handover_bundle), 0) + 1
  OR NEW.seq_from IS NOT coalesce((SELECT max(seq_to) FROM handover_bundle), 0) + 1
BEGIN SELECT RAISE(ABORT, 'hand-over bundles follow each other'); END;
CREATE TRIGGER bundle_no_delete BEFORE DELETE ON handover_bundle BEGIN SELECT RAISE(ABORT, 'hand-over bundles are never deleted'); END;
CREATE TRIGGER bundle_only_confirmed BEFORE UPDATE ON handover_bundle
WHEN OLD.id IS NOT NEW.id OR OLD.bundle_id IS NOT NEW.bundle_id
  OR OLD.station_code IS NOT NEW.station_code OR OLD.station_name IS NOT NEW.station_name
  OR OLD.seq_from IS NOT NEW.seq_from OR OLD.seq_to IS NOT NEW.seq_to
  OR OLD.utc_offset IS NOT NEW.utc_offset OR OLD.head_seq IS NOT NEW.head_seq
  OR OLD.head_hash IS NOT NEW.head_hash OR OLD.created_at IS NOT NEW.created_at
  OR OLD.created_by IS NOT NEW.created_by
  OR (OLD.state = 'confirmed' AND (NEW.state IS NOT OLD.state OR NEW.confirmed_at IS NOT OLD.confirmed_at OR NEW.confirmed_by IS NOT OLD.confirmed_by))
  OR (OLD.manifest_sha256 IS NOT NULL AND NEW.manifest_sha256 IS NOT OLD.manifest_sha256)
  OR (OLD.counts IS NOT NULL AND NEW.counts IS NOT OLD.counts)
BEGIN SELECT RAISE(ABORT, 'a hand-over bundle is only confirmed, never changed'); END;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('handover.utc_offset', '数据交接', 1300, '交接包时间的时区', 'choice', '+0800', '+0800', '', NULL, NULL,
  '+0800:北京时间（UTC+08:00）', '交接包中的时间都带时区写出（如 2026-11-24T09:30:00+08:00）；全国统一用北京时间'),
 ('handover.folder', '数据交接', 1310, '交接包文件夹', 'text', '', '', '', NULL, NULL, '',
  '在菜单中导出交接包时写到这里；留空则用数据目录下的 handover 文件夹');

-- The rows already on file (an upgraded station's history; a new one's settings), recorded
-- once, before the triggers exist.
INSERT INTO outbox (entity, row_key, op, state) SELECT 'staff', t."id", 'I', json_object('id', t."id", 'username', t."username", 'display_name', t."display_name", 'role', t."role", 'is_admin', t."is_admin", 'active', t."active", 'phone', t."phone", 'is_demo', t."is_demo", 'created_at', t."created_at") FROM "staff" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'settings', t."key", 'I', json_object('key', t."key", 'grp', t."grp", 'sort', t."sort", 'label', t."label", 'kind', t."kind", 'value', t."value", 'default_value', t."default_value", 'unit', t."unit", 'min_value', t."min_value", 'max_value', t."max_value", 'options', t."options", 'help', t."help", 'updated_at', t."updated_at", 'updated_by', t."updated_by") FROM "settings" t ORDER BY t."key";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'transformer_area', t."id", 'I', json_object('id', t."id", 'code', t."code", 'name', t."name", 'capacity_kva', t."capacity_kva", 'manager_id', t."manager_id", 'active', t."active", 'created_at', t."created_at") FROM "transformer_area" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'area_type', t."area_id", 'I', json_object('area_id', t."area_id", 'area_type', t."area_type") FROM "area_type" t ORDER BY t."area_id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'customer', t."id", 'I', json_object('id', t."id", 'account_no', t."account_no", 'old_account_no', t."old_account_no", 'name', t."name", 'kind', t."kind", 'id_number', t."id_number", 'phone', t."phone", 'address', t."address", 'area_id', t."area_id", 'usage_category', t."usage_category", 'tariff_code', t."tariff_code", 'supply_voltage', t."supply_voltage", 'contracted_kva', t."contracted_kva", 'status', t."status", 'docs_incomplete', t."docs_incomplete", 'notes', t."notes", 'created_at', t."created_at", 'updated_at', t."updated_at") FROM "customer" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'work_order', t."id", 'I', json_object('id', t."id", 'tracking_no', t."tracking_no", 'track_date', t."track_date", 'track_seq', t."track_seq", 'kind', t."kind", 'conn_class', t."conn_class", 'external_works', t."external_works", 'customer_id', t."customer_id", 'applicant_name', t."applicant_name", 'applicant_id_number', t."applicant_id_number", 'applicant_phone', t."applicant_phone", 'applicant_address', t."applicant_address", 'area_id', t."area_id", 'description', t."description", 'answer', t."answer", 'state', t."state", 'responsible_id', t."responsible_id", 'dispatched_to', t."dispatched_to", 'dispatched_at', t."dispatched_at", 'fast_channel', t."fast_channel", 'fast_channel_by', t."fast_channel_by", 'fast_channel_reason', t."fast_channel_reason", 'created_at', t."created_at", 'last_contact_at', t."last_contact_at", 'closed_at', t."closed_at", 'closed_by', t."closed_by", 'cancel_reason', t."cancel_reason", 'change_to', t."change_to") FROM "work_order" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'order_stage', json_array(t."order_id", t."pos"), 'I', json_object('order_id', t."order_id", 'pos', t."pos", 'stage', t."stage", 'state', t."state", 'done_at', t."done_at", 'done_by', t."done_by", 'notes', t."notes") FROM "order_stage" t ORDER BY t."order_id", t."pos";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'order_document', json_array(t."order_id", t."doc"), 'I', json_object('order_id', t."order_id", 'doc', t."doc", 'pos', t."pos", 'received', t."received", 'received_at', t."received_at", 'received_by', t."received_by") FROM "order_document" t ORDER BY t."order_id", t."doc";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'order_fee', t."id", 'I', json_object('id', t."id", 'order_id', t."order_id", 'item', t."item", 'amount_fen', t."amount_fen", 'added_at', t."added_at", 'added_by', t."added_by", 'collected', t."collected", 'collected_at', t."collected_at", 'collected_by', t."collected_by") FROM "order_fee" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'order_contact', t."id", 'I', json_object('id', t."id", 'order_id', t."order_id", 'at', t."at", 'staff_id', t."staff_id", 'channel', t."channel", 'content', t."content") FROM "order_contact" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'order_event', t."id", 'I' FROM "order_event" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'order_pause', t."id", 'I', json_object('id', t."id", 'order_id', t."order_id", 'cause', t."cause", 'reason', t."reason", 'from_date', t."from_date", 'to_date', t."to_date", 'started_by', t."started_by", 'started_at', t."started_at", 'ended_by', t."ended_by", 'ended_at', t."ended_at") FROM "order_pause" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'assessment_rule', t."id", 'I', json_object('id', t."id", 'code', t."code", 'sort', t."sort", 'item', t."item", 'trigger_kind', t."trigger_kind", 'trigger_param', t."trigger_param", 'unit', t."unit", 'amount_residential_fen', t."amount_residential_fen", 'amount_other_fen', t."amount_other_fen", 'active', t."active", 'note', t."note", 'updated_at', t."updated_at", 'updated_by', t."updated_by") FROM "assessment_rule" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'assessment_entry', t."id", 'I', json_object('id', t."id", 'rule_id', t."rule_id", 'subject', t."subject", 'staff_id', t."staff_id", 'month', t."month", 'residential', t."residential", 'summary', t."summary", 'evidence', t."evidence", 'amount_fen', t."amount_fen", 'amount_unset', t."amount_unset", 'state', t."state", 'decided_by', t."decided_by", 'decided_at', t."decided_at", 'reason', t."reason", 'created_at', t."created_at", 'for_county', t."for_county") FROM "assessment_entry" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'meter', t."id", 'I', json_object('id', t."id", 'asset_no', t."asset_no", 'kind', t."kind", 'accuracy', t."accuracy", 'maker', t."maker", 'batch', t."batch", 'digits', t."digits", 'ct_ratio', t."ct_ratio", 'pt_ratio', t."pt_ratio", 'multiplier', t."multiplier", 'produced_on', t."produced_on", 'verified_on', t."verified_on", 'valid_until', t."valid_until", 'status', t."status", 'customer_id', t."customer_id", 'area_id', t."area_id", 'position', t."position", 'seals', t."seals", 'received_on', t."received_on") FROM "meter" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'meter_event', t."id", 'I' FROM "meter_event" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'meter_swap', t."id", 'I' FROM "meter_swap" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'meter_extension', t."id", 'I' FROM "meter_extension" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'meter_check', t."id", 'I' FROM "meter_check" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'order_meter', t."id", 'I' FROM "order_meter" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'rotation_plan', t."id", 'I', json_object('id', t."id", 'year', t."year", 'created_at', t."created_at", 'created_by', t."created_by", 'approved_at', t."approved_at", 'approved_by', t."approved_by") FROM "rotation_plan" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'rotation_item', t."id", 'I', json_object('id', t."id", 'plan_id', t."plan_id", 'meter_id', t."meter_id", 'customer_id', t."customer_id", 'area_id', t."area_id", 'month', t."month", 'source', t."source", 'reported_by', t."reported_by", 'reported_at', t."reported_at", 'note', t."note", 'added_after_approval', t."added_after_approval", 'swap_id', t."swap_id", 'done_on', t."done_on") FROM "rotation_item" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'reading_book', t."area_id", 'I', json_object('area_id', t."area_id", 'reader_id', t."reader_id", 'reading_day', t."reading_day", 'changed_by', t."changed_by", 'changed_at', t."changed_at") FROM "reading_book" t ORDER BY t."area_id";
INSERT INTO outbox (entity, row_key, op) SELECT 'reading', t."id", 'I' FROM "reading" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'bill', t."id", 'I' FROM "bill" t WHERE t.source <> 'import' ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'late_fee_waiver', t."id", 'I' FROM "late_fee_waiver" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'outage_period', t."id", 'I' FROM "outage_period" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'payment', t."id", 'I' FROM "payment" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'allocation', t."id", 'I' FROM "allocation" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'late_fee_basis', t."id", 'I' FROM "late_fee_basis" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'receipt', t."id", 'I' FROM "receipt" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'receipt_print', t."id", 'I' FROM "receipt_print" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'receipt_void', t."id", 'I' FROM "receipt_void" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'prepaid_offset', t."id", 'I' FROM "prepaid_offset" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'day_end', t."id", 'I' FROM "day_end" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'day_end_batch', t."id", 'I' FROM "day_end_batch" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'day_end_method', json_array(t."day_end_id", t."pos"), 'I', json_object('day_end_id', t."day_end_id", 'pos', t."pos", 'method', t."method", 'count', t."count", 'amount_fen', t."amount_fen") FROM "day_end_method" t ORDER BY t."day_end_id", t."pos";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'day_end_cash', json_array(t."day_end_id", t."pos"), 'I', json_object('day_end_id', t."day_end_id", 'pos', t."pos", 'label', t."label", 'face_fen', t."face_fen", 'pieces', t."pieces") FROM "day_end_cash" t ORDER BY t."day_end_id", t."pos";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'service_case', t."id", 'I', json_object('id', t."id", 'case_no', t."case_no", 'kind', t."kind", 'channel', t."channel", 'upstream_no', t."upstream_no", 'received_at', t."received_at", 'customer_id', t."customer_id", 'caller_name', t."caller_name", 'caller_phone', t."caller_phone", 'place', t."place", 'area_id', t."area_id", 'content', t."content", 'urgent', t."urgent", 'supply_cut', t."supply_cut", 'order_id', t."order_id", 'assignee_id', t."assignee_id", 'crew', t."crew", 'state', t."state", 'round', t."round", 'visit_needed', t."visit_needed", 'closed_at', t."closed_at", 'closed_how', t."closed_how", 'created_by', t."created_by", 'created_at', t."created_at") FROM "service_case" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'case_step', t."id", 'I' FROM "case_step" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'case_visit', t."id", 'I' FROM "case_visit" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'line_loss_note', t."id", 'I' FROM "line_loss_note" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'reading_note', t."id", 'I' FROM "reading_note" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'reading_message', t."id", 'I', json_object('id', t."id", 'note_id', t."note_id", 'to_staff', t."to_staff", 'due_on', t."due_on", 'sent_by', t."sent_by", 'sent_at', t."sent_at", 'feedback', t."feedback", 'feedback_by', t."feedback_by", 'feedback_at', t."feedback_at", 'recovered_fen', t."recovered_fen") FROM "reading_message" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'spot_check', t."id", 'I' FROM "spot_check" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'arrears_mark', t."id", 'I' FROM "arrears_mark" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'collection_notice', t."id", 'I' FROM "collection_notice" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'disconnection', t."id", 'I' FROM "disconnection" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'reconnection', t."id", 'I' FROM "reconnection" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op, state) SELECT 'audit_finding', t."id", 'I', json_object('id', t."id", 'finding_no', t."finding_no", 'year', t."year", 'seq', t."seq", 'category', t."category", 'description', t."description", 'staff_id', t."staff_id", 'area_id', t."area_id", 'due_on', t."due_on", 'state', t."state", 'found_by', t."found_by", 'found_at', t."found_at", 'closed_at', t."closed_at") FROM "audit_finding" t ORDER BY t."id";
INSERT INTO outbox (entity, row_key, op) SELECT 'audit_finding_step', t."id", 'I' FROM "audit_finding_step" t ORDER BY t."id";

-- The triggers that write a record for every change from now on (generated by
-- store::outbox::triggers_sql; a test checks they are what it makes now).
CREATE TRIGGER handover_staff_insert AFTER INSERT ON "staff" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('staff', NEW."id", 'I', json_object('id', NEW."id", 'username', NEW."username", 'display_name', NEW."display_name", 'role', NEW."role", 'is_admin', NEW."is_admin", 'active', NEW."active", 'phone', NEW."phone", 'is_demo', NEW."is_demo", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_staff_update AFTER UPDATE ON "staff" WHEN OLD."id" IS NOT NEW."id" OR OLD."username" IS NOT NEW."username" OR OLD."display_name" IS NOT NEW."display_name" OR OLD."role" IS NOT NEW."role" OR OLD."is_admin" IS NOT NEW."is_admin" OR OLD."active" IS NOT NEW."active" OR OLD."phone" IS NOT NEW."phone" OR OLD."is_demo" IS NOT NEW."is_demo" OR OLD."created_at" IS NOT NEW."created_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'staff', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('staff', NEW."id", 'U', json_object('id', NEW."id", 'username', NEW."username", 'display_name', NEW."display_name", 'role', NEW."role", 'is_admin', NEW."is_admin", 'active', NEW."active", 'phone', NEW."phone", 'is_demo', NEW."is_demo", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_staff_delete AFTER DELETE ON "staff" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('staff', OLD."id", 'D');
END;
CREATE TRIGGER handover_settings_insert AFTER INSERT ON "settings" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('settings', NEW."key", 'I', json_object('key', NEW."key", 'grp', NEW."grp", 'sort', NEW."sort", 'label', NEW."label", 'kind', NEW."kind", 'value', NEW."value", 'default_value', NEW."default_value", 'unit', NEW."unit", 'min_value', NEW."min_value", 'max_value', NEW."max_value", 'options', NEW."options", 'help', NEW."help", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by"));
END;
CREATE TRIGGER handover_settings_update AFTER UPDATE ON "settings" WHEN OLD."key" IS NOT NEW."key" OR OLD."grp" IS NOT NEW."grp" OR OLD."sort" IS NOT NEW."sort" OR OLD."label" IS NOT NEW."label" OR OLD."kind" IS NOT NEW."kind" OR OLD."value" IS NOT NEW."value" OR OLD."default_value" IS NOT NEW."default_value" OR OLD."unit" IS NOT NEW."unit" OR OLD."min_value" IS NOT NEW."min_value" OR OLD."max_value" IS NOT NEW."max_value" OR OLD."options" IS NOT NEW."options" OR OLD."help" IS NOT NEW."help" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'settings', OLD."key", 'D' WHERE OLD."key" IS NOT NEW."key";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('settings', NEW."key", 'U', json_object('key', NEW."key", 'grp', NEW."grp", 'sort', NEW."sort", 'label', NEW."label", 'kind', NEW."kind", 'value', NEW."value", 'default_value', NEW."default_value", 'unit', NEW."unit", 'min_value', NEW."min_value", 'max_value', NEW."max_value", 'options', NEW."options", 'help', NEW."help", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by"));
END;
CREATE TRIGGER handover_settings_delete AFTER DELETE ON "settings" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('settings', OLD."key", 'D');
END;
CREATE TRIGGER handover_transformer_area_insert AFTER INSERT ON "transformer_area" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('transformer_area', NEW."id", 'I', json_object('id', NEW."id", 'code', NEW."code", 'name', NEW."name", 'capacity_kva', NEW."capacity_kva", 'manager_id', NEW."manager_id", 'active', NEW."active", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_transformer_area_update AFTER UPDATE ON "transformer_area" WHEN OLD."id" IS NOT NEW."id" OR OLD."code" IS NOT NEW."code" OR OLD."name" IS NOT NEW."name" OR OLD."capacity_kva" IS NOT NEW."capacity_kva" OR OLD."manager_id" IS NOT NEW."manager_id" OR OLD."active" IS NOT NEW."active" OR OLD."created_at" IS NOT NEW."created_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'transformer_area', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('transformer_area', NEW."id", 'U', json_object('id', NEW."id", 'code', NEW."code", 'name', NEW."name", 'capacity_kva', NEW."capacity_kva", 'manager_id', NEW."manager_id", 'active', NEW."active", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_transformer_area_delete AFTER DELETE ON "transformer_area" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('transformer_area', OLD."id", 'D');
END;
CREATE TRIGGER handover_area_type_insert AFTER INSERT ON "area_type" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('area_type', NEW."area_id", 'I', json_object('area_id', NEW."area_id", 'area_type', NEW."area_type"));
END;
CREATE TRIGGER handover_area_type_update AFTER UPDATE ON "area_type" WHEN OLD."area_id" IS NOT NEW."area_id" OR OLD."area_type" IS NOT NEW."area_type" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'area_type', OLD."area_id", 'D' WHERE OLD."area_id" IS NOT NEW."area_id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('area_type', NEW."area_id", 'U', json_object('area_id', NEW."area_id", 'area_type', NEW."area_type"));
END;
CREATE TRIGGER handover_area_type_delete AFTER DELETE ON "area_type" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('area_type', OLD."area_id", 'D');
END;
CREATE TRIGGER handover_customer_insert AFTER INSERT ON "customer" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('customer', NEW."id", 'I', json_object('id', NEW."id", 'account_no', NEW."account_no", 'old_account_no', NEW."old_account_no", 'name', NEW."name", 'kind', NEW."kind", 'id_number', NEW."id_number", 'phone', NEW."phone", 'address', NEW."address", 'area_id', NEW."area_id", 'usage_category', NEW."usage_category", 'tariff_code', NEW."tariff_code", 'supply_voltage', NEW."supply_voltage", 'contracted_kva', NEW."contracted_kva", 'status', NEW."status", 'docs_incomplete', NEW."docs_incomplete", 'notes', NEW."notes", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at"));
END;
CREATE TRIGGER handover_customer_update AFTER UPDATE ON "customer" WHEN OLD."id" IS NOT NEW."id" OR OLD."account_no" IS NOT NEW."account_no" OR OLD."old_account_no" IS NOT NEW."old_account_no" OR OLD."name" IS NOT NEW."name" OR OLD."kind" IS NOT NEW."kind" OR OLD."id_number" IS NOT NEW."id_number" OR OLD."phone" IS NOT NEW."phone" OR OLD."address" IS NOT NEW."address" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."usage_category" IS NOT NEW."usage_category" OR OLD."tariff_code" IS NOT NEW."tariff_code" OR OLD."supply_voltage" IS NOT NEW."supply_voltage" OR OLD."contracted_kva" IS NOT NEW."contracted_kva" OR OLD."status" IS NOT NEW."status" OR OLD."docs_incomplete" IS NOT NEW."docs_incomplete" OR OLD."notes" IS NOT NEW."notes" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'customer', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('customer', NEW."id", 'U', json_object('id', NEW."id", 'account_no', NEW."account_no", 'old_account_no', NEW."old_account_no", 'name', NEW."name", 'kind', NEW."kind", 'id_number', NEW."id_number", 'phone', NEW."phone", 'address', NEW."address", 'area_id', NEW."area_id", 'usage_category', NEW."usage_category", 'tariff_code', NEW."tariff_code", 'supply_voltage', NEW."supply_voltage", 'contracted_kva', NEW."contracted_kva", 'status', NEW."status", 'docs_incomplete', NEW."docs_incomplete", 'notes', NEW."notes", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at"));
END;
CREATE TRIGGER handover_customer_delete AFTER DELETE ON "customer" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('customer', OLD."id", 'D');
END;
CREATE TRIGGER handover_work_order_insert AFTER INSERT ON "work_order" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('work_order', NEW."id", 'I', json_object('id', NEW."id", 'tracking_no', NEW."tracking_no", 'track_date', NEW."track_date", 'track_seq', NEW."track_seq", 'kind', NEW."kind", 'conn_class', NEW."conn_class", 'external_works', NEW."external_works", 'customer_id', NEW."customer_id", 'applicant_name', NEW."applicant_name", 'applicant_id_number', NEW."applicant_id_number", 'applicant_phone', NEW."applicant_phone", 'applicant_address', NEW."applicant_address", 'area_id', NEW."area_id", 'description', NEW."description", 'answer', NEW."answer", 'state', NEW."state", 'responsible_id', NEW."responsible_id", 'dispatched_to', NEW."dispatched_to", 'dispatched_at', NEW."dispatched_at", 'fast_channel', NEW."fast_channel", 'fast_channel_by', NEW."fast_channel_by", 'fast_channel_reason', NEW."fast_channel_reason", 'created_at', NEW."created_at", 'last_contact_at', NEW."last_contact_at", 'closed_at', NEW."closed_at", 'closed_by', NEW."closed_by", 'cancel_reason', NEW."cancel_reason", 'change_to', NEW."change_to"));
END;
CREATE TRIGGER handover_work_order_update AFTER UPDATE ON "work_order" WHEN OLD."id" IS NOT NEW."id" OR OLD."tracking_no" IS NOT NEW."tracking_no" OR OLD."track_date" IS NOT NEW."track_date" OR OLD."track_seq" IS NOT NEW."track_seq" OR OLD."kind" IS NOT NEW."kind" OR OLD."conn_class" IS NOT NEW."conn_class" OR OLD."external_works" IS NOT NEW."external_works" OR OLD."customer_id" IS NOT NEW."customer_id" OR OLD."applicant_name" IS NOT NEW."applicant_name" OR OLD."applicant_id_number" IS NOT NEW."applicant_id_number" OR OLD."applicant_phone" IS NOT NEW."applicant_phone" OR OLD."applicant_address" IS NOT NEW."applicant_address" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."description" IS NOT NEW."description" OR OLD."answer" IS NOT NEW."answer" OR OLD."state" IS NOT NEW."state" OR OLD."responsible_id" IS NOT NEW."responsible_id" OR OLD."dispatched_to" IS NOT NEW."dispatched_to" OR OLD."dispatched_at" IS NOT NEW."dispatched_at" OR OLD."fast_channel" IS NOT NEW."fast_channel" OR OLD."fast_channel_by" IS NOT NEW."fast_channel_by" OR OLD."fast_channel_reason" IS NOT NEW."fast_channel_reason" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."last_contact_at" IS NOT NEW."last_contact_at" OR OLD."closed_at" IS NOT NEW."closed_at" OR OLD."closed_by" IS NOT NEW."closed_by" OR OLD."cancel_reason" IS NOT NEW."cancel_reason" OR OLD."change_to" IS NOT NEW."change_to" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'work_order', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('work_order', NEW."id", 'U', json_object('id', NEW."id", 'tracking_no', NEW."tracking_no", 'track_date', NEW."track_date", 'track_seq', NEW."track_seq", 'kind', NEW."kind", 'conn_class', NEW."conn_class", 'external_works', NEW."external_works", 'customer_id', NEW."customer_id", 'applicant_name', NEW."applicant_name", 'applicant_id_number', NEW."applicant_id_number", 'applicant_phone', NEW."applicant_phone", 'applicant_address', NEW."applicant_address", 'area_id', NEW."area_id", 'description', NEW."description", 'answer', NEW."answer", 'state', NEW."state", 'responsible_id', NEW."responsible_id", 'dispatched_to', NEW."dispatched_to", 'dispatched_at', NEW."dispatched_at", 'fast_channel', NEW."fast_channel", 'fast_channel_by', NEW."fast_channel_by", 'fast_channel_reason', NEW."fast_channel_reason", 'created_at', NEW."created_at", 'last_contact_at', NEW."last_contact_at", 'closed_at', NEW."closed_at", 'closed_by', NEW."closed_by", 'cancel_reason', NEW."cancel_reason", 'change_to', NEW."change_to"));
END;
CREATE TRIGGER handover_order_stage_insert AFTER INSERT ON "order_stage" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_stage', json_array(NEW."order_id", NEW."pos"), 'I', json_object('order_id', NEW."order_id", 'pos', NEW."pos", 'stage', NEW."stage", 'state', NEW."state", 'done_at', NEW."done_at", 'done_by', NEW."done_by", 'notes', NEW."notes"));
END;
CREATE TRIGGER handover_order_stage_update AFTER UPDATE ON "order_stage" WHEN OLD."order_id" IS NOT NEW."order_id" OR OLD."pos" IS NOT NEW."pos" OR OLD."stage" IS NOT NEW."stage" OR OLD."state" IS NOT NEW."state" OR OLD."done_at" IS NOT NEW."done_at" OR OLD."done_by" IS NOT NEW."done_by" OR OLD."notes" IS NOT NEW."notes" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'order_stage', json_array(OLD."order_id", OLD."pos"), 'D' WHERE OLD."order_id" IS NOT NEW."order_id" OR OLD."pos" IS NOT NEW."pos";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_stage', json_array(NEW."order_id", NEW."pos"), 'U', json_object('order_id', NEW."order_id", 'pos', NEW."pos", 'stage', NEW."stage", 'state', NEW."state", 'done_at', NEW."done_at", 'done_by', NEW."done_by", 'notes', NEW."notes"));
END;
CREATE TRIGGER handover_order_stage_delete AFTER DELETE ON "order_stage" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_stage', json_array(OLD."order_id", OLD."pos"), 'D');
END;
CREATE TRIGGER handover_order_document_insert AFTER INSERT ON "order_document" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_document', json_array(NEW."order_id", NEW."doc"), 'I', json_object('order_id', NEW."order_id", 'doc', NEW."doc", 'pos', NEW."pos", 'received', NEW."received", 'received_at', NEW."received_at", 'received_by', NEW."received_by"));
END;
CREATE TRIGGER handover_order_document_update AFTER UPDATE ON "order_document" WHEN OLD."order_id" IS NOT NEW."order_id" OR OLD."doc" IS NOT NEW."doc" OR OLD."pos" IS NOT NEW."pos" OR OLD."received" IS NOT NEW."received" OR OLD."received_at" IS NOT NEW."received_at" OR OLD."received_by" IS NOT NEW."received_by" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'order_document', json_array(OLD."order_id", OLD."doc"), 'D' WHERE OLD."order_id" IS NOT NEW."order_id" OR OLD."doc" IS NOT NEW."doc";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_document', json_array(NEW."order_id", NEW."doc"), 'U', json_object('order_id', NEW."order_id", 'doc', NEW."doc", 'pos', NEW."pos", 'received', NEW."received", 'received_at', NEW."received_at", 'received_by', NEW."received_by"));
END;
CREATE TRIGGER handover_order_document_delete AFTER DELETE ON "order_document" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_document', json_array(OLD."order_id", OLD."doc"), 'D');
END;
CREATE TRIGGER handover_order_fee_insert AFTER INSERT ON "order_fee" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_fee', NEW."id", 'I', json_object('id', NEW."id", 'order_id', NEW."order_id", 'item', NEW."item", 'amount_fen', NEW."amount_fen", 'added_at', NEW."added_at", 'added_by', NEW."added_by", 'collected', NEW."collected", 'collected_at', NEW."collected_at", 'collected_by', NEW."collected_by"));
END;
CREATE TRIGGER handover_order_fee_update AFTER UPDATE ON "order_fee" WHEN OLD."id" IS NOT NEW."id" OR OLD."order_id" IS NOT NEW."order_id" OR OLD."item" IS NOT NEW."item" OR OLD."amount_fen" IS NOT NEW."amount_fen" OR OLD."added_at" IS NOT NEW."added_at" OR OLD."added_by" IS NOT NEW."added_by" OR OLD."collected" IS NOT NEW."collected" OR OLD."collected_at" IS NOT NEW."collected_at" OR OLD."collected_by" IS NOT NEW."collected_by" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'order_fee', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_fee', NEW."id", 'U', json_object('id', NEW."id", 'order_id', NEW."order_id", 'item', NEW."item", 'amount_fen', NEW."amount_fen", 'added_at', NEW."added_at", 'added_by', NEW."added_by", 'collected', NEW."collected", 'collected_at', NEW."collected_at", 'collected_by', NEW."collected_by"));
END;
CREATE TRIGGER handover_order_fee_delete AFTER DELETE ON "order_fee" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_fee', OLD."id", 'D');
END;
CREATE TRIGGER handover_order_contact_insert AFTER INSERT ON "order_contact" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_contact', NEW."id", 'I', json_object('id', NEW."id", 'order_id', NEW."order_id", 'at', NEW."at", 'staff_id', NEW."staff_id", 'channel', NEW."channel", 'content', NEW."content"));
END;
CREATE TRIGGER handover_order_contact_update AFTER UPDATE ON "order_contact" WHEN OLD."id" IS NOT NEW."id" OR OLD."order_id" IS NOT NEW."order_id" OR OLD."at" IS NOT NEW."at" OR OLD."staff_id" IS NOT NEW."staff_id" OR OLD."channel" IS NOT NEW."channel" OR OLD."content" IS NOT NEW."content" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'order_contact', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_contact', NEW."id", 'U', json_object('id', NEW."id", 'order_id', NEW."order_id", 'at', NEW."at", 'staff_id', NEW."staff_id", 'channel', NEW."channel", 'content', NEW."content"));
END;
CREATE TRIGGER handover_order_contact_delete AFTER DELETE ON "order_contact" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_contact', OLD."id", 'D');
END;
CREATE TRIGGER handover_order_event_insert AFTER INSERT ON "order_event" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_event', NEW."id", 'I');
END;
CREATE TRIGGER handover_order_pause_insert AFTER INSERT ON "order_pause" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_pause', NEW."id", 'I', json_object('id', NEW."id", 'order_id', NEW."order_id", 'cause', NEW."cause", 'reason', NEW."reason", 'from_date', NEW."from_date", 'to_date', NEW."to_date", 'started_by', NEW."started_by", 'started_at', NEW."started_at", 'ended_by', NEW."ended_by", 'ended_at', NEW."ended_at"));
END;
CREATE TRIGGER handover_order_pause_update AFTER UPDATE ON "order_pause" WHEN OLD."id" IS NOT NEW."id" OR OLD."order_id" IS NOT NEW."order_id" OR OLD."cause" IS NOT NEW."cause" OR OLD."reason" IS NOT NEW."reason" OR OLD."from_date" IS NOT NEW."from_date" OR OLD."to_date" IS NOT NEW."to_date" OR OLD."started_by" IS NOT NEW."started_by" OR OLD."started_at" IS NOT NEW."started_at" OR OLD."ended_by" IS NOT NEW."ended_by" OR OLD."ended_at" IS NOT NEW."ended_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'order_pause', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('order_pause', NEW."id", 'U', json_object('id', NEW."id", 'order_id', NEW."order_id", 'cause', NEW."cause", 'reason', NEW."reason", 'from_date', NEW."from_date", 'to_date', NEW."to_date", 'started_by', NEW."started_by", 'started_at', NEW."started_at", 'ended_by', NEW."ended_by", 'ended_at', NEW."ended_at"));
END;
CREATE TRIGGER handover_assessment_rule_insert AFTER INSERT ON "assessment_rule" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('assessment_rule', NEW."id", 'I', json_object('id', NEW."id", 'code', NEW."code", 'sort', NEW."sort", 'item', NEW."item", 'trigger_kind', NEW."trigger_kind", 'trigger_param', NEW."trigger_param", 'unit', NEW."unit", 'amount_residential_fen', NEW."amount_residential_fen", 'amount_other_fen', NEW."amount_other_fen", 'active', NEW."active", 'note', NEW."note", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by"));
END;
CREATE TRIGGER handover_assessment_rule_update AFTER UPDATE ON "assessment_rule" WHEN OLD."id" IS NOT NEW."id" OR OLD."code" IS NOT NEW."code" OR OLD."sort" IS NOT NEW."sort" OR OLD."item" IS NOT NEW."item" OR OLD."trigger_kind" IS NOT NEW."trigger_kind" OR OLD."trigger_param" IS NOT NEW."trigger_param" OR OLD."unit" IS NOT NEW."unit" OR OLD."amount_residential_fen" IS NOT NEW."amount_residential_fen" OR OLD."amount_other_fen" IS NOT NEW."amount_other_fen" OR OLD."active" IS NOT NEW."active" OR OLD."note" IS NOT NEW."note" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'assessment_rule', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('assessment_rule', NEW."id", 'U', json_object('id', NEW."id", 'code', NEW."code", 'sort', NEW."sort", 'item', NEW."item", 'trigger_kind', NEW."trigger_kind", 'trigger_param', NEW."trigger_param", 'unit', NEW."unit", 'amount_residential_fen', NEW."amount_residential_fen", 'amount_other_fen', NEW."amount_other_fen", 'active', NEW."active", 'note', NEW."note", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by"));
END;
CREATE TRIGGER handover_assessment_entry_insert AFTER INSERT ON "assessment_entry" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('assessment_entry', NEW."id", 'I', json_object('id', NEW."id", 'rule_id', NEW."rule_id", 'subject', NEW."subject", 'staff_id', NEW."staff_id", 'month', NEW."month", 'residential', NEW."residential", 'summary', NEW."summary", 'evidence', NEW."evidence", 'amount_fen', NEW."amount_fen", 'amount_unset', NEW."amount_unset", 'state', NEW."state", 'decided_by', NEW."decided_by", 'decided_at', NEW."decided_at", 'reason', NEW."reason", 'created_at', NEW."created_at", 'for_county', NEW."for_county"));
END;
CREATE TRIGGER handover_assessment_entry_update AFTER UPDATE ON "assessment_entry" WHEN OLD."id" IS NOT NEW."id" OR OLD."rule_id" IS NOT NEW."rule_id" OR OLD."subject" IS NOT NEW."subject" OR OLD."staff_id" IS NOT NEW."staff_id" OR OLD."month" IS NOT NEW."month" OR OLD."residential" IS NOT NEW."residential" OR OLD."summary" IS NOT NEW."summary" OR OLD."evidence" IS NOT NEW."evidence" OR OLD."amount_fen" IS NOT NEW."amount_fen" OR OLD."amount_unset" IS NOT NEW."amount_unset" OR OLD."state" IS NOT NEW."state" OR OLD."decided_by" IS NOT NEW."decided_by" OR OLD."decided_at" IS NOT NEW."decided_at" OR OLD."reason" IS NOT NEW."reason" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."for_county" IS NOT NEW."for_county" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'assessment_entry', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('assessment_entry', NEW."id", 'U', json_object('id', NEW."id", 'rule_id', NEW."rule_id", 'subject', NEW."subject", 'staff_id', NEW."staff_id", 'month', NEW."month", 'residential', NEW."residential", 'summary', NEW."summary", 'evidence', NEW."evidence", 'amount_fen', NEW."amount_fen", 'amount_unset', NEW."amount_unset", 'state', NEW."state", 'decided_by', NEW."decided_by", 'decided_at', NEW."decided_at", 'reason', NEW."reason", 'created_at', NEW."created_at", 'for_county', NEW."for_county"));
END;
CREATE TRIGGER handover_meter_insert AFTER INSERT ON "meter" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('meter', NEW."id", 'I', json_object('id', NEW."id", 'asset_no', NEW."asset_no", 'kind', NEW."kind", 'accuracy', NEW."accuracy", 'maker', NEW."maker", 'batch', NEW."batch", 'digits', NEW."digits", 'ct_ratio', NEW."ct_ratio", 'pt_ratio', NEW."pt_ratio", 'multiplier', NEW."multiplier", 'produced_on', NEW."produced_on", 'verified_on', NEW."verified_on", 'valid_until', NEW."valid_until", 'status', NEW."status", 'customer_id', NEW."customer_id", 'area_id', NEW."area_id", 'position', NEW."position", 'seals', NEW."seals", 'received_on', NEW."received_on"));
END;
CREATE TRIGGER handover_meter_update AFTER UPDATE ON "meter" WHEN OLD."id" IS NOT NEW."id" OR OLD."asset_no" IS NOT NEW."asset_no" OR OLD."kind" IS NOT NEW."kind" OR OLD."accuracy" IS NOT NEW."accuracy" OR OLD."maker" IS NOT NEW."maker" OR OLD."batch" IS NOT NEW."batch" OR OLD."digits" IS NOT NEW."digits" OR OLD."ct_ratio" IS NOT NEW."ct_ratio" OR OLD."pt_ratio" IS NOT NEW."pt_ratio" OR OLD."multiplier" IS NOT NEW."multiplier" OR OLD."produced_on" IS NOT NEW."produced_on" OR OLD."verified_on" IS NOT NEW."verified_on" OR OLD."valid_until" IS NOT NEW."valid_until" OR OLD."status" IS NOT NEW."status" OR OLD."customer_id" IS NOT NEW."customer_id" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."position" IS NOT NEW."position" OR OLD."seals" IS NOT NEW."seals" OR OLD."received_on" IS NOT NEW."received_on" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'meter', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('meter', NEW."id", 'U', json_object('id', NEW."id", 'asset_no', NEW."asset_no", 'kind', NEW."kind", 'accuracy', NEW."accuracy", 'maker', NEW."maker", 'batch', NEW."batch", 'digits', NEW."digits", 'ct_ratio', NEW."ct_ratio", 'pt_ratio', NEW."pt_ratio", 'multiplier', NEW."multiplier", 'produced_on', NEW."produced_on", 'verified_on', NEW."verified_on", 'valid_until', NEW."valid_until", 'status', NEW."status", 'customer_id', NEW."customer_id", 'area_id', NEW."area_id", 'position', NEW."position", 'seals', NEW."seals", 'received_on', NEW."received_on"));
END;
CREATE TRIGGER handover_meter_delete AFTER DELETE ON "meter" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('meter', OLD."id", 'D');
END;
CREATE TRIGGER handover_meter_event_insert AFTER INSERT ON "meter_event" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('meter_event', NEW."id", 'I');
END;
CREATE TRIGGER handover_meter_swap_insert AFTER INSERT ON "meter_swap" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('meter_swap', NEW."id", 'I');
END;
CREATE TRIGGER handover_meter_extension_insert AFTER INSERT ON "meter_extension" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('meter_extension', NEW."id", 'I');
END;
CREATE TRIGGER handover_meter_check_insert AFTER INSERT ON "meter_check" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('meter_check', NEW."id", 'I');
END;
CREATE TRIGGER handover_order_meter_insert AFTER INSERT ON "order_meter" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('order_meter', NEW."id", 'I');
END;
CREATE TRIGGER handover_rotation_plan_insert AFTER INSERT ON "rotation_plan" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('rotation_plan', NEW."id", 'I', json_object('id', NEW."id", 'year', NEW."year", 'created_at', NEW."created_at", 'created_by', NEW."created_by", 'approved_at', NEW."approved_at", 'approved_by', NEW."approved_by"));
END;
CREATE TRIGGER handover_rotation_plan_update AFTER UPDATE ON "rotation_plan" WHEN OLD."id" IS NOT NEW."id" OR OLD."year" IS NOT NEW."year" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."created_by" IS NOT NEW."created_by" OR OLD."approved_at" IS NOT NEW."approved_at" OR OLD."approved_by" IS NOT NEW."approved_by" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'rotation_plan', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('rotation_plan', NEW."id", 'U', json_object('id', NEW."id", 'year', NEW."year", 'created_at', NEW."created_at", 'created_by', NEW."created_by", 'approved_at', NEW."approved_at", 'approved_by', NEW."approved_by"));
END;
CREATE TRIGGER handover_rotation_item_insert AFTER INSERT ON "rotation_item" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('rotation_item', NEW."id", 'I', json_object('id', NEW."id", 'plan_id', NEW."plan_id", 'meter_id', NEW."meter_id", 'customer_id', NEW."customer_id", 'area_id', NEW."area_id", 'month', NEW."month", 'source', NEW."source", 'reported_by', NEW."reported_by", 'reported_at', NEW."reported_at", 'note', NEW."note", 'added_after_approval', NEW."added_after_approval", 'swap_id', NEW."swap_id", 'done_on', NEW."done_on"));
END;
CREATE TRIGGER handover_rotation_item_update AFTER UPDATE ON "rotation_item" WHEN OLD."id" IS NOT NEW."id" OR OLD."plan_id" IS NOT NEW."plan_id" OR OLD."meter_id" IS NOT NEW."meter_id" OR OLD."customer_id" IS NOT NEW."customer_id" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."month" IS NOT NEW."month" OR OLD."source" IS NOT NEW."source" OR OLD."reported_by" IS NOT NEW."reported_by" OR OLD."reported_at" IS NOT NEW."reported_at" OR OLD."note" IS NOT NEW."note" OR OLD."added_after_approval" IS NOT NEW."added_after_approval" OR OLD."swap_id" IS NOT NEW."swap_id" OR OLD."done_on" IS NOT NEW."done_on" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'rotation_item', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('rotation_item', NEW."id", 'U', json_object('id', NEW."id", 'plan_id', NEW."plan_id", 'meter_id', NEW."meter_id", 'customer_id', NEW."customer_id", 'area_id', NEW."area_id", 'month', NEW."month", 'source', NEW."source", 'reported_by', NEW."reported_by", 'reported_at', NEW."reported_at", 'note', NEW."note", 'added_after_approval', NEW."added_after_approval", 'swap_id', NEW."swap_id", 'done_on', NEW."done_on"));
END;
CREATE TRIGGER handover_reading_book_insert AFTER INSERT ON "reading_book" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('reading_book', NEW."area_id", 'I', json_object('area_id', NEW."area_id", 'reader_id', NEW."reader_id", 'reading_day', NEW."reading_day", 'changed_by', NEW."changed_by", 'changed_at', NEW."changed_at"));
END;
CREATE TRIGGER handover_reading_book_update AFTER UPDATE ON "reading_book" WHEN OLD."area_id" IS NOT NEW."area_id" OR OLD."reader_id" IS NOT NEW."reader_id" OR OLD."reading_day" IS NOT NEW."reading_day" OR OLD."changed_by" IS NOT NEW."changed_by" OR OLD."changed_at" IS NOT NEW."changed_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'reading_book', OLD."area_id", 'D' WHERE OLD."area_id" IS NOT NEW."area_id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('reading_book', NEW."area_id", 'U', json_object('area_id', NEW."area_id", 'reader_id', NEW."reader_id", 'reading_day', NEW."reading_day", 'changed_by', NEW."changed_by", 'changed_at', NEW."changed_at"));
END;
CREATE TRIGGER handover_reading_book_delete AFTER DELETE ON "reading_book" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('reading_book', OLD."area_id", 'D');
END;
CREATE TRIGGER handover_reading_insert AFTER INSERT ON "reading" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('reading', NEW."id", 'I');
END;
CREATE TRIGGER handover_bill_insert AFTER INSERT ON "bill" WHEN NEW.source <> 'import' BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('bill', NEW."id", 'I');
END;
CREATE TRIGGER handover_late_fee_waiver_insert AFTER INSERT ON "late_fee_waiver" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('late_fee_waiver', NEW."id", 'I');
END;
CREATE TRIGGER handover_outage_period_insert AFTER INSERT ON "outage_period" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('outage_period', NEW."id", 'I');
END;
CREATE TRIGGER handover_payment_insert AFTER INSERT ON "payment" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('payment', NEW."id", 'I');
END;
CREATE TRIGGER handover_allocation_insert AFTER INSERT ON "allocation" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('allocation', NEW."id", 'I');
END;
CREATE TRIGGER handover_late_fee_basis_insert AFTER INSERT ON "late_fee_basis" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('late_fee_basis', NEW."id", 'I');
END;
CREATE TRIGGER handover_receipt_insert AFTER INSERT ON "receipt" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('receipt', NEW."id", 'I');
END;
CREATE TRIGGER handover_receipt_print_insert AFTER INSERT ON "receipt_print" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('receipt_print', NEW."id", 'I');
END;
CREATE TRIGGER handover_receipt_void_insert AFTER INSERT ON "receipt_void" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('receipt_void', NEW."id", 'I');
END;
CREATE TRIGGER handover_prepaid_offset_insert AFTER INSERT ON "prepaid_offset" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('prepaid_offset', NEW."id", 'I');
END;
CREATE TRIGGER handover_day_end_insert AFTER INSERT ON "day_end" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('day_end', NEW."id", 'I');
END;
CREATE TRIGGER handover_day_end_batch_insert AFTER INSERT ON "day_end_batch" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('day_end_batch', NEW."id", 'I');
END;
CREATE TRIGGER handover_day_end_method_insert AFTER INSERT ON "day_end_method" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('day_end_method', json_array(NEW."day_end_id", NEW."pos"), 'I', json_object('day_end_id', NEW."day_end_id", 'pos', NEW."pos", 'method', NEW."method", 'count', NEW."count", 'amount_fen', NEW."amount_fen"));
END;
CREATE TRIGGER handover_day_end_method_update AFTER UPDATE ON "day_end_method" WHEN OLD."day_end_id" IS NOT NEW."day_end_id" OR OLD."pos" IS NOT NEW."pos" OR OLD."method" IS NOT NEW."method" OR OLD."count" IS NOT NEW."count" OR OLD."amount_fen" IS NOT NEW."amount_fen" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'day_end_method', json_array(OLD."day_end_id", OLD."pos"), 'D' WHERE OLD."day_end_id" IS NOT NEW."day_end_id" OR OLD."pos" IS NOT NEW."pos";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('day_end_method', json_array(NEW."day_end_id", NEW."pos"), 'U', json_object('day_end_id', NEW."day_end_id", 'pos', NEW."pos", 'method', NEW."method", 'count', NEW."count", 'amount_fen', NEW."amount_fen"));
END;
CREATE TRIGGER handover_day_end_cash_insert AFTER INSERT ON "day_end_cash" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('day_end_cash', json_array(NEW."day_end_id", NEW."pos"), 'I', json_object('day_end_id', NEW."day_end_id", 'pos', NEW."pos", 'label', NEW."label", 'face_fen', NEW."face_fen", 'pieces', NEW."pieces"));
END;
CREATE TRIGGER handover_day_end_cash_update AFTER UPDATE ON "day_end_cash" WHEN OLD."day_end_id" IS NOT NEW."day_end_id" OR OLD."pos" IS NOT NEW."pos" OR OLD."label" IS NOT NEW."label" OR OLD."face_fen" IS NOT NEW."face_fen" OR OLD."pieces" IS NOT NEW."pieces" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'day_end_cash', json_array(OLD."day_end_id", OLD."pos"), 'D' WHERE OLD."day_end_id" IS NOT NEW."day_end_id" OR OLD."pos" IS NOT NEW."pos";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('day_end_cash', json_array(NEW."day_end_id", NEW."pos"), 'U', json_object('day_end_id', NEW."day_end_id", 'pos', NEW."pos", 'label', NEW."label", 'face_fen', NEW."face_fen", 'pieces', NEW."pieces"));
END;
CREATE TRIGGER handover_service_case_insert AFTER INSERT ON "service_case" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('service_case', NEW."id", 'I', json_object('id', NEW."id", 'case_no', NEW."case_no", 'kind', NEW."kind", 'channel', NEW."channel", 'upstream_no', NEW."upstream_no", 'received_at', NEW."received_at", 'customer_id', NEW."customer_id", 'caller_name', NEW."caller_name", 'caller_phone', NEW."caller_phone", 'place', NEW."place", 'area_id', NEW."area_id", 'content', NEW."content", 'urgent', NEW."urgent", 'supply_cut', NEW."supply_cut", 'order_id', NEW."order_id", 'assignee_id', NEW."assignee_id", 'crew', NEW."crew", 'state', NEW."state", 'round', NEW."round", 'visit_needed', NEW."visit_needed", 'closed_at', NEW."closed_at", 'closed_how', NEW."closed_how", 'created_by', NEW."created_by", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_service_case_update AFTER UPDATE ON "service_case" WHEN OLD."id" IS NOT NEW."id" OR OLD."case_no" IS NOT NEW."case_no" OR OLD."kind" IS NOT NEW."kind" OR OLD."channel" IS NOT NEW."channel" OR OLD."upstream_no" IS NOT NEW."upstream_no" OR OLD."received_at" IS NOT NEW."received_at" OR OLD."customer_id" IS NOT NEW."customer_id" OR OLD."caller_name" IS NOT NEW."caller_name" OR OLD."caller_phone" IS NOT NEW."caller_phone" OR OLD."place" IS NOT NEW."place" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."content" IS NOT NEW."content" OR OLD."urgent" IS NOT NEW."urgent" OR OLD."supply_cut" IS NOT NEW."supply_cut" OR OLD."order_id" IS NOT NEW."order_id" OR OLD."assignee_id" IS NOT NEW."assignee_id" OR OLD."crew" IS NOT NEW."crew" OR OLD."state" IS NOT NEW."state" OR OLD."round" IS NOT NEW."round" OR OLD."visit_needed" IS NOT NEW."visit_needed" OR OLD."closed_at" IS NOT NEW."closed_at" OR OLD."closed_how" IS NOT NEW."closed_how" OR OLD."created_by" IS NOT NEW."created_by" OR OLD."created_at" IS NOT NEW."created_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'service_case', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('service_case', NEW."id", 'U', json_object('id', NEW."id", 'case_no', NEW."case_no", 'kind', NEW."kind", 'channel', NEW."channel", 'upstream_no', NEW."upstream_no", 'received_at', NEW."received_at", 'customer_id', NEW."customer_id", 'caller_name', NEW."caller_name", 'caller_phone', NEW."caller_phone", 'place', NEW."place", 'area_id', NEW."area_id", 'content', NEW."content", 'urgent', NEW."urgent", 'supply_cut', NEW."supply_cut", 'order_id', NEW."order_id", 'assignee_id', NEW."assignee_id", 'crew', NEW."crew", 'state', NEW."state", 'round', NEW."round", 'visit_needed', NEW."visit_needed", 'closed_at', NEW."closed_at", 'closed_how', NEW."closed_how", 'created_by', NEW."created_by", 'created_at', NEW."created_at"));
END;
CREATE TRIGGER handover_service_case_delete AFTER DELETE ON "service_case" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('service_case', OLD."id", 'D');
END;
CREATE TRIGGER handover_case_step_insert AFTER INSERT ON "case_step" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('case_step', NEW."id", 'I');
END;
CREATE TRIGGER handover_case_visit_insert AFTER INSERT ON "case_visit" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('case_visit', NEW."id", 'I');
END;
CREATE TRIGGER handover_line_loss_note_insert AFTER INSERT ON "line_loss_note" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('line_loss_note', NEW."id", 'I');
END;
CREATE TRIGGER handover_reading_note_insert AFTER INSERT ON "reading_note" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('reading_note', NEW."id", 'I');
END;
CREATE TRIGGER handover_reading_message_insert AFTER INSERT ON "reading_message" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('reading_message', NEW."id", 'I', json_object('id', NEW."id", 'note_id', NEW."note_id", 'to_staff', NEW."to_staff", 'due_on', NEW."due_on", 'sent_by', NEW."sent_by", 'sent_at', NEW."sent_at", 'feedback', NEW."feedback", 'feedback_by', NEW."feedback_by", 'feedback_at', NEW."feedback_at", 'recovered_fen', NEW."recovered_fen"));
END;
CREATE TRIGGER handover_reading_message_update AFTER UPDATE ON "reading_message" WHEN OLD."id" IS NOT NEW."id" OR OLD."note_id" IS NOT NEW."note_id" OR OLD."to_staff" IS NOT NEW."to_staff" OR OLD."due_on" IS NOT NEW."due_on" OR OLD."sent_by" IS NOT NEW."sent_by" OR OLD."sent_at" IS NOT NEW."sent_at" OR OLD."feedback" IS NOT NEW."feedback" OR OLD."feedback_by" IS NOT NEW."feedback_by" OR OLD."feedback_at" IS NOT NEW."feedback_at" OR OLD."recovered_fen" IS NOT NEW."recovered_fen" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'reading_message', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('reading_message', NEW."id", 'U', json_object('id', NEW."id", 'note_id', NEW."note_id", 'to_staff', NEW."to_staff", 'due_on', NEW."due_on", 'sent_by', NEW."sent_by", 'sent_at', NEW."sent_at", 'feedback', NEW."feedback", 'feedback_by', NEW."feedback_by", 'feedback_at', NEW."feedback_at", 'recovered_fen', NEW."recovered_fen"));
END;
CREATE TRIGGER handover_reading_message_delete AFTER DELETE ON "reading_message" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('reading_message', OLD."id", 'D');
END;
CREATE TRIGGER handover_spot_check_insert AFTER INSERT ON "spot_check" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('spot_check', NEW."id", 'I');
END;
CREATE TRIGGER handover_arrears_mark_insert AFTER INSERT ON "arrears_mark" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('arrears_mark', NEW."id", 'I');
END;
CREATE TRIGGER handover_collection_notice_insert AFTER INSERT ON "collection_notice" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('collection_notice', NEW."id", 'I');
END;
CREATE TRIGGER handover_disconnection_insert AFTER INSERT ON "disconnection" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('disconnection', NEW."id", 'I');
END;
CREATE TRIGGER handover_reconnection_insert AFTER INSERT ON "reconnection" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('reconnection', NEW."id", 'I');
END;
CREATE TRIGGER handover_audit_finding_insert AFTER INSERT ON "audit_finding" BEGIN
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('audit_finding', NEW."id", 'I', json_object('id', NEW."id", 'finding_no', NEW."finding_no", 'year', NEW."year", 'seq', NEW."seq", 'category', NEW."category", 'description', NEW."description", 'staff_id', NEW."staff_id", 'area_id', NEW."area_id", 'due_on', NEW."due_on", 'state', NEW."state", 'found_by', NEW."found_by", 'found_at', NEW."found_at", 'closed_at', NEW."closed_at"));
END;
CREATE TRIGGER handover_audit_finding_update AFTER UPDATE ON "audit_finding" WHEN OLD."id" IS NOT NEW."id" OR OLD."finding_no" IS NOT NEW."finding_no" OR OLD."year" IS NOT NEW."year" OR OLD."seq" IS NOT NEW."seq" OR OLD."category" IS NOT NEW."category" OR OLD."description" IS NOT NEW."description" OR OLD."staff_id" IS NOT NEW."staff_id" OR OLD."area_id" IS NOT NEW."area_id" OR OLD."due_on" IS NOT NEW."due_on" OR OLD."state" IS NOT NEW."state" OR OLD."found_by" IS NOT NEW."found_by" OR OLD."found_at" IS NOT NEW."found_at" OR OLD."closed_at" IS NOT NEW."closed_at" BEGIN
    INSERT INTO outbox (entity, row_key, op) SELECT 'audit_finding', OLD."id", 'D' WHERE OLD."id" IS NOT NEW."id";
    INSERT INTO outbox (entity, row_key, op, state) VALUES ('audit_finding', NEW."id", 'U', json_object('id', NEW."id", 'finding_no', NEW."finding_no", 'year', NEW."year", 'seq', NEW."seq", 'category', NEW."category", 'description', NEW."description", 'staff_id', NEW."staff_id", 'area_id', NEW."area_id", 'due_on', NEW."due_on", 'state', NEW."state", 'found_by', NEW."found_by", 'found_at', NEW."found_at", 'closed_at', NEW."closed_at"));
END;
CREATE TRIGGER handover_audit_finding_step_insert AFTER INSERT ON "audit_finding_step" BEGIN
    INSERT INTO outbox (entity, row_key, op) VALUES ('audit_finding_step', NEW."id", 'I');
END;
