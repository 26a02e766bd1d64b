# shellcheck shell=bash
# TechDocs in the embedded default: the backend builds runbooks and template docs with the mkdocs
# on PATH (app-config.yaml techdocs: generator runIn local, without the PyPI-only techdocs-core
# plugin) and the Material theme. Debian's packages provide both: mkdocs and mkdocs-material.

MKDOCS_PACKAGES="mkdocs mkdocs-material"

# True when mkdocs is on PATH and offers the material theme (mkdocs-material ships no command).
mkdocs_ready() {
  command -v mkdocs >/dev/null && mkdocs build --help 2>/dev/null | grep -q '\bmaterial\b'
}

# ensure_mkdocs [--required]: mkdocs and its material theme are installed, or - as root with apt -
# apt-get installs them, saying so. Otherwise the portal still runs, but TechDocs pages cannot be
# built: it prints the one command to run. --required (the test command) stops there instead.
ensure_mkdocs() {
  ensure_debian_tool "$MKDOCS_PACKAGES" "TechDocs" mkdocs_ready && return 0
  local fix="apt-get install $MKDOCS_PACKAGES"
  [ "${1:-}" = --required ] \
    && die "the TechDocs tests need mkdocs with the material theme on PATH: install them ($fix, as root)."
  log "no mkdocs with the material theme: the portal runs, but TechDocs pages (runbooks, template docs) cannot be built. Run '$fix' (as root) and start again."
  return 0
}
