#!/usr/bin/env bash
# Back up RecoveryNet's PostgreSQL database: one compressed custom-format dump
# a run, in BACKUP_DIR, dumps older than BACKUP_KEEP_DAYS removed.
#   DATABASE_URL=postgres://... BACKUP_DIR=/srv/recoverynet/backups scripts/backup-postgres.sh
# Restore (into an empty database): pg_restore --no-owner --dbname "$DATABASE_URL" FILE.dump
# The dump holds special-category data (encrypted fields stay encrypted, but
# not everything is): keep BACKUP_DIR private and encrypt copies you move off the host.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${BACKUP_DIR:?BACKUP_DIR is required}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
umask 077
mkdir -p "$BACKUP_DIR"
target="$BACKUP_DIR/recoverynet-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --no-owner --file "$target.partial" "$DATABASE_URL"
mv "$target.partial" "$target"
find "$BACKUP_DIR" -maxdepth 1 -name 'recoverynet-*.dump' -mtime "+$KEEP_DAYS" -delete
echo "$target"
