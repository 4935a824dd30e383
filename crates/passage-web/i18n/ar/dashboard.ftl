# The dashboard: its filters and charts.
dashboard-title = لوحة المعلومات
dashboard-not-for-role = أدوارك لا تشمل الإحصاءات.
dashboard-withheld = تُحجب الأعداد الصغيرة حتى لا يمكن التعرف على أحد: تعني "‎<5" عددًا أقل من خمسة، وتعني "x" عددًا حُجب لحماية عدد آخر؛ الأشرطة المحجوبة مخططة.
filter-from = من
filter-to = إلى
filter-site = الموقع
filter-nationality = الجنسية
filter-apply = عرض
chart-arrivals = الوافدون حسب الشهر
chart-pyramid = السكان حسب الجنس والعمر
chart-population-types = السكان حسب الفئة
chart-cases = الحالات حسب الإجراء
chart-dead-missing = الموتى والمفقودون حسب الطريق
chart-referrals = الإحالات حسب الحالة
referral-overdue = متأخرة
