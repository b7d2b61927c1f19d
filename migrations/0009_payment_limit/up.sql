-- A single payment above this amount is refused with the limit named: a clerk who types
-- one 0 too many (or 99999999999) is stopped before the confirm dialog.
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('payment.max_amount', '收费', 805, '单笔收款上限', 'money', '100000.00', '100000.00', '元', '1', '100000000', '',
  '一笔收款超过此金额时拒收，以免多输一个 0');
