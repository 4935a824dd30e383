# The dashboard: its filters and charts.
dashboard-title = 仪表板
dashboard-not-for-role = 您的角色不包括统计数据。
dashboard-withheld = 为避免任何人被识别，较小的数字不予公布：“<5”表示小于五的数字，“x”表示为保护其他数字而隐去的数字；隐去的条形以斜线标出。
filter-from = 起始
filter-to = 截止
filter-site = 站点
filter-nationality = 国籍
filter-apply = 显示
chart-arrivals = 按月抵达人数
chart-pyramid = 按性别和年龄划分的人口
chart-population-types = 按人口类型划分的人口
chart-cases = 按程序划分的个案
chart-dead-missing = 按路线划分的死亡和失踪人数
chart-referrals = 按状态划分的转介
referral-overdue = 已超期
