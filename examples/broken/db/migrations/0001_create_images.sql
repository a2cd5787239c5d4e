-- Migration number: 0001
CREATE TABLE images (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  width INTEGER,
  height INTEGER
);
