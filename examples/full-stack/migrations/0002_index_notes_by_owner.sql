-- Migration number: 0002
CREATE INDEX notes_by_owner ON notes (owner_id, created_at);
-- The nightly clean-up deletes by age alone.
CREATE INDEX notes_by_created_at ON notes (created_at);
