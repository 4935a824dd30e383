# The dashboard: its filters and charts.
dashboard-title = Dashboard
dashboard-not-for-role = Your roles do not include statistics.
dashboard-withheld = Small numbers are withheld so that nobody can be recognised: "<5" marks a number below five, "x" a number withheld to protect another; withheld bars are hatched.
filter-from = From
filter-to = To
filter-site = Site
filter-nationality = Nationality
filter-apply = Show
chart-arrivals = People arriving, by month
chart-pyramid = Population by sex and age
chart-population-types = Population by population type
chart-cases = Cases by procedure
chart-dead-missing = Dead and missing, by route
chart-referrals = Referrals by status
referral-overdue = overdue
