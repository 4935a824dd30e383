-- The language each user reads the pages in, kept with the user so that it follows them
-- from one browser to another (a BCP 47 tag; none until the user picks one).

ALTER TABLE users ADD COLUMN language TEXT;
