-- +goose Up
-- SQLite rebuilds its link tables WITHOUT ROWID in this migration; a
-- PostgreSQL table is always a heap with its primary key beside it, so
-- there is nothing to do here. The file keeps the numbers of both folders
-- the same.
SELECT 1;

-- +goose Down
SELECT 1;
