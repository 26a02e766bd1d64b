# shellcheck shell=bash
# ShellCheck for the golden-path workflow tests (every `run:` script of the rendered GitHub
# workflows is checked with it): Debian's package.
ensure_shellcheck() {
  ensure_debian_tool shellcheck "the golden-path workflow tests" have shellcheck \
    || die "the golden-path workflow tests need shellcheck on PATH: install it (apt-get install shellcheck)."
}
