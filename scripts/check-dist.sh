#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build >/dev/null
if ! git diff --quiet --exit-code -- dist; then
  echo "dist/ is not what the sources build to. Run 'npm run build' and commit dist/." >&2
  git diff --stat -- dist >&2
  exit 1
fi
if [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; then
  echo "dist/ has files that are not committed:" >&2
  git ls-files --others --exclude-standard -- dist >&2
  exit 1
fi
echo "dist/ is up to date."
