#!/usr/bin/env bash
# What users write today: poll the job's status and its events with curl, parse both with jq,
# sleep, repeat until the status is final. Used as the baseline of the "vs a curl loop" row.
#
#   curl-loop.sh <provider> <base-url> <job-id> <api-key> <interval-seconds> <max-polls>
#
# At exit it prints bash's `times` to stderr: user and system CPU of the shell, then of all its
# children (curl, jq, sleep, subshells), all from getrusage like the action's own numbers.
set -u
provider=$1 base=$2 job=$3 key=$4 interval=$5 max_polls=$6

if [ "$provider" = together ]; then
  job_url="$base/fine-tunes/$job"
  events_url="$base/fine-tunes/$job/events"
else
  job_url="$base/fine_tuning/jobs/$job"
  events_url="$base/fine_tuning/jobs/$job/events"
fi

trap 'times >&2' EXIT
for ((poll = 0; poll < max_polls; poll++)); do
  status=$(curl -sS -H "Authorization: Bearer $key" "$job_url" | jq -r .status)
  curl -sS -H "Authorization: Bearer $key" "$events_url" | jq -r '.data[] | "\(.created_at) \(.level) \(.message)"'
  case "$status" in completed | succeeded | failed | error | user_error | cancelled) break ;; esac
  sleep "$interval"
done
