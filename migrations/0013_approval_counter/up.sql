-- The chief's password typed at the counter to approve a void or a reversal is counted on
-- its own: wrong tries there never lock the chief out of signing in, and have their own short
-- back-off.
ALTER TABLE staff ADD COLUMN approval_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN approval_locked_until TEXT;
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('security.approval_max_failed', '安全', 130, '柜台审批密码连续输错次数', 'int', '3', '3', '次', '1', '20', '',
  '所长在柜台审批作废、红冲时连续输错这么多次后暂停审批（不影响登录）'),
 ('security.approval_pause_minutes', '安全', 140, '柜台审批暂停时长', 'int', '2', '2', '分钟', '1', '60', '', '');
