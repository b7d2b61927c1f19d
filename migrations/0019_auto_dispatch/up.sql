-- New orders can go straight to the area manager of their 台区 (issue 18): the station
-- chief decides; off by default (orders are dispatched by hand as before).
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('order.auto_dispatch', '业扩时限', 445, '新工单自动派给台区经理', 'bool', '0', '0', '', NULL, NULL, '',
  '受理时按工单的台区派给该台区的台区经理（台区未设经理或经理已停用则不派）；每次自动派工都记入审计日志');
