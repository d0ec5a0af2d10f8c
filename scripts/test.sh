#!/usr/bin/env bash
# The README's test command (`npm test`): static checks, unit specs, e2e specs on SQLite, the same e2e
# specs on PostgreSQL when DATABASE_URL points at one, then the client specs (real programs).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
JEST="node_modules/.bin/jest"

echo "== typecheck and lint"
node_modules/.bin/tsc -p tsconfig.json --noEmit
node_modules/.bin/eslint . --max-warnings 0
node_modules/.bin/prettier --check . --log-level warn

echo "== unit"
"$JEST" --selectProjects unit

echo "== e2e on SQLite"
DATABASE_URL= "$JEST" --selectProjects e2e --runInBand

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== e2e on PostgreSQL ($DATABASE_URL)"
  "$JEST" --selectProjects e2e --runInBand
else
  echo "== e2e on PostgreSQL skipped: DATABASE_URL is not a postgres:// URL (CI sets one)"
fi

echo "== clients"
npm run --silent build
"$JEST" --selectProjects clients --runInBand
