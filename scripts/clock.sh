# shellcheck shell=bash
# Runs a command with the process clock moved (Debian's faketime / libfaketime), for the suites
# that depend on the calendar. Sourced by scripts/test.sh; usable by hand:
#   source scripts/toolchain.sh; source scripts/clock.sh
#   with_clock_at '2028-02-29 23:30:00' yarn backstage-cli repo test plugins/slo-backend
# The clock is moved by a relative offset (faketime -f '+N' seconds), so every process the command
# starts (Jest workers, a portal's children) agrees on the time and time keeps running. Monotonic
# clocks are left alone: timers and timeouts behave. Go binaries (Prometheus) and PostgreSQL's
# now() keep real time: the code under test passes its own clock to them (PromQL `time=`, values
# written from the injected clock).

# The date-sensitive suites run once, with the process clock moved (UTC): the backend suites to a
# Monday that starts a year, a month and a week, the pages' suites to a leap day that ends a month.
# Every other suite runs at the real date. One moved date per suite finds any reading of the real
# clock (the fixtures' dates are far from it); the calendar's edges themselves are tested by the
# suites that pin them (FixedClock, asOf). Each suite runs once, which keeps CI inside 40 minutes.
CLOCK_DATES=(
  '2029-01-01 00:05:00'
  '2028-02-29 23:30:00'
)

# The suites that depend on the calendar: SLO windows and review weeks, cost months, waivers,
# restore-test windows, recovery-point ages, scan history and the demo estates. Jest path patterns.
DATE_SENSITIVE_SUITES=(
  packages/aws-local/
  packages/prometheus-local/
  plugins/platform-node/
  plugins/platform-react/
  plugins/cost-backend/
  plugins/cost/
  plugins/slo-node/
  plugins/slo-backend/
  plugins/slo/
  plugins/dr-readiness-node/
  plugins/dr-readiness-backend/
  plugins/dr-readiness/
)

# The pages' suites (jsdom) render what the backends computed, with the clock they are given
# (useClock): they run at the leap day.
FRONTEND_DATE_SENSITIVE_SUITES=(
  plugins/platform-react/
  plugins/cost/
  plugins/slo/
  plugins/dr-readiness/
)
FRONTEND_CLOCK_DATES=(
  '2028-02-29 23:30:00'
)

# The suites the test command runs at one of CLOCK_DATES, one per line: the pages' at a frontend
# date, the others at the rest.
date_sensitive_suites_at() {
  local when="$1" suite date frontend=0 is_frontend
  for date in "${FRONTEND_CLOCK_DATES[@]}"; do
    [ "$date" = "$when" ] && frontend=1
  done
  for suite in "${DATE_SENSITIVE_SUITES[@]}"; do
    is_frontend=0
    [[ " ${FRONTEND_DATE_SENSITIVE_SUITES[*]} " == *" $suite "* ]] && is_frontend=1
    [ "$frontend" = "$is_frontend" ] && printf '%s\n' "$suite"
  done
  return 0
}

# The Jest projects (package names) of the date-sensitive suites: the real-date run leaves them out.
date_sensitive_projects() {
  local suite
  for suite in "${DATE_SENSITIVE_SUITES[@]}"; do
    node -p "require('./${suite}package.json').name"
  done
}

ensure_faketime() {
  ensure_debian_tool faketime "the date-sensitive suites" have faketime \
    || die "the date-sensitive suites need faketime on PATH: install it (apt-get install faketime)."
}

# Seconds from the real now to a UTC date ('YYYY-MM-DD HH:MM:SS'), or a faketime offset such as
# +40d. faketime offsets the real clock, so "now" is read without libfaketime: the dates stay
# right when the whole test command itself runs under faketime.
clock_offset_to() {
  case "$1" in
    [+-]*) printf '%s' "$1" ;;
    *) printf '%+d' "$(($(date -u -d "$1 UTC" +%s) - $(env -u LD_PRELOAD -u FAKETIME date -u +%s)))" ;;
  esac
}

# with_clock_at <UTC date or +offset> <command...>
with_clock_at() {
  local when="$1"
  shift
  ensure_faketime
  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(clock_offset_to "$when")" "$@"
}
