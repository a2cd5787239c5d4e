-- Migration number: 0002
CREATE INDEX notes_by_owner ON notes (owner_id, created_at);
