# Protection: screening interviews, referrals, cases and the guard.
