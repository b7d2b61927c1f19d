-- Backups (issue 17): where the copies go, how many are kept, when the home screen warns.
-- Each backup is recorded as an audit entry (entity 'backup', actions backup.made and
-- backup.failed, found through the entity index); no table of its own.
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('backup.folder', '备份', 1200, '备份文件夹', 'text', '', '', '', NULL, NULL, '',
  '留空则用数据目录下的 backups 文件夹；通常填 U 盘上的文件夹，如 E:\站所备份。填写的文件夹须已存在（U 盘未插好时不会在本机另建）'),
 ('backup.keep_daily', '备份', 1210, '保留每日备份', 'int', '7', '7', '天', '1', '366', '',
  '保留最近这么多天（有备份的日子）各自最新的一份'),
 ('backup.keep_monthly', '备份', 1220, '保留每月备份', 'int', '12', '12', '个月', '0', '120', '',
  '另保留最近这么多个月各自最新的一份；0 为不另保留'),
 ('backup.warn_days', '备份', 1230, '备份过期提醒', 'int', '3', '3', '天', '1', '60', '',
  '最近一份检查通过的备份早于这么多天时，首页提醒'),
 ('backup.on_exit', '备份', 1240, '退出程序时备份', 'bool', '1', '1', '', NULL, NULL, '',
  '关闭程序时先备份（自上次备份以来没有业务改动时跳过）；日结后总是自动备份');
