#!/usr/bin/env bash
# A generic pre-send gate for any CI system or cron: stop the send when the list would hurt the
# sender. Keep .hygiene/history.db between runs (a cache, a volume, or an artifact) so the gate
# remembers earlier bounces.
set -euo pipefail

LIST=${1:-lists/campaign.csv}
STATE=${HYGIENE_STATE:-.hygiene/history.db}

# Record bounces that arrived since the last run (idempotent: old lines are not counted twice).
npx hygiene ingest /var/log/mail.log bounces/ --state "$STATE"

# Exit 0 pass, 1 fail (do not send), 2 bad input or usage.
if npx hygiene check "$LIST" --state "$STATE" --format junit > hygiene-junit.xml; then
  echo "hygiene: list is clean, sending"
  ./scripts/send-campaign.sh "$LIST"
else
  status=$?
  echo "hygiene: gate failed (exit $status); see hygiene-junit.xml or run: npx hygiene check $LIST" >&2
  exit "$status"
fi
