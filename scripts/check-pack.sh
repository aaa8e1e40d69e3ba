#!/usr/bin/env bash
# What a user gets from the package: `npm pack`, install the tarball into an empty folder, then
# run the installed `fine-tune-watch` there, with --help and against the simulated provider.
# Needs dist/ built and the npm registry (the package's dependencies are installed for real).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
sim_pid=''
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x dist/cli/index.js ]; then
  echo "dist/cli/index.js is missing or not executable: run 'npm run build'." >&2
  exit 1
fi

tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "== packed $tarball:"
tar -tzf "$work/$tarball" | sort
if tar -tzf "$work/$tarball" | grep -Eq '^package/(src|test|sim)/'; then
  echo "the package ships sources or tests; check \"files\" in package.json" >&2
  exit 1
fi

echo "== npm install into an empty folder"
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund "$work/$tarball"
npx fine-tune-watch --version
npx fine-tune-watch --help >/dev/null

echo "== a run against the simulated Together API"
# exec: $! is then the simulator itself, so the cleanup stops it and nothing else.
(cd "$root" && exec node --import tsx sim/cli.ts --provider together --scenario quickstart \
  --api-key pack-check-key) >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 300); do
  grep -q '^job-id=' "$work/sim.log" && break
  sleep 0.1
done
base_url=$(sed -n 's/^base-url=//p' "$work/sim.log")
job_id=$(sed -n 's/^job-id=//p' "$work/sim.log")
if [ -z "$job_id" ]; then
  cat "$work/sim.log" >&2
  exit 1
fi
TOGETHER_API_KEY=pack-check-key npx fine-tune-watch --provider together --job-id "$job_id" \
  --base-url "$base_url" --poll-interval 0.05 --json >"$work/run.ndjson"
node -e '
  const lines = require("node:fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  const result = JSON.parse(lines.at(-1));
  if (result.kind !== "result" || result.outputs.status !== "succeeded") {
    console.error("unexpected result:", lines.at(-1));
    process.exit(1);
  }
  console.log(`${lines.length} NDJSON lines; result: ${result.outputs.status}, model ${result.outputs.model}`);
' "$work/run.ndjson"
echo "The packed CLI installs and runs."
