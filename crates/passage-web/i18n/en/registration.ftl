# The registration desk: arrivals, households, persons, documents, tokens.
