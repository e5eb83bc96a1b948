#!/usr/bin/env bash
# Builds the cel-go checker (tools/celgo/main.go) against cel-go as Debian packages it: Go 1.23
# from bookworm-backports, cel-go 0.18.2 from trixie and cel-go 0.27.0 from trixie-backports, with
# the dependencies each is built with there. The packages are fetched with apt-get through a
# private configuration (the machine's keyring checks their signatures; nothing is installed on
# the system) and unpacked into the cache folder; the Go programs build in GOPATH mode.
#
#   tools/celgo/setup.sh [CACHE]   prints the folder holding bin/celgo-0.18 and bin/celgo-0.27
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-${CELGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/base-image-guard/celgo}}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
stamp="$(sha256sum "$here/main.go" "$here/setup.sh" | sha256sum | cut -c1-16)"
if [ -x "$cache/bin/celgo-0.18" ] && [ -x "$cache/bin/celgo-0.27" ] && [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "$cache"
  exit 0
fi
fetched="$(sed -n '/^# fetch:begin/,/^# fetch:end/p' "$0" | sha256sum | cut -c1-16)"
if [ "$(cat "$cache/fetched" 2>/dev/null)" != "$fetched" ]; then
# fetch:begin

apt="$cache/apt"
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  for suite in trixie trixie-backports bookworm-backports; do
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main"
  done
} >"$apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root -qq)
apt-get "${opts[@]}" update >&2

go_pkgs=(golang-1.23-go/bookworm-backports golang-1.23-src/bookworm-backports)
# cel-go 0.18.2 (Kubernetes 1.30 vendors 0.17.8, the nearest Debian has).
old_pkgs=(golang-github-google-cel-go-dev/trixie golang-github-antlr-antlr4-dev/trixie
  golang-github-golang-protobuf-1-5-dev/trixie golang-google-protobuf-dev/trixie
  golang-github-stoewer-go-strcase-dev/trixie golang-golang-x-text-dev/trixie golang-golang-x-exp-dev/trixie golang-google-genproto-dev/trixie)
# cel-go 0.27.0 (Kubernetes 1.31 vendors 0.20.1, Kyverno 1.17 0.26.1).
new_pkgs=(golang-github-google-cel-go-dev/trixie-backports golang-cel-expr-dev/trixie-backports
  golang-github-antlr4-go-antlr-dev/trixie-backports golang-google-protobuf-dev/trixie
  golang-golang-x-text-dev/trixie-backports golang-golang-x-exp-dev/trixie golang-google-genproto-dev/trixie-backports
  golang-gopkg-yaml.v3-dev/trixie-backports)

unpack() { # folder, packages...
  local into="$1"; shift
  rm -rf "$into"; mkdir -p "$into"
  local dir; dir="$(mktemp -d "$apt/debs/dl.XXXXXX")"
  (cd "$dir" && apt-get "${opts[@]}" download "$@" >&2)
  for deb in "$dir"/*.deb; do
    dpkg-deb -x "$deb" "$into"; echo "  $(basename "$deb")" >&2
    [ "$(dpkg-deb -f "$deb" Package)" = golang-github-google-cel-go-dev ] && dpkg-deb -f "$deb" Version >"$into/version"
  done
  rm -rf "$dir"
}
echo "celgo: fetching Go and cel-go from Debian" >&2
unpack "$cache/go" "${go_pkgs[@]}"
unpack "$cache/cel-0.18" "${old_pkgs[@]}"
unpack "$cache/cel-0.27" "${new_pkgs[@]}"
# fetch:end
echo "$fetched" >"$cache/fetched"
fi

export GOROOT="$cache/go/usr/lib/go-1.23" GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE="$cache/gocache"
mkdir -p "$cache/bin"
for v in 0.18 0.27; do
  src="$cache/cel-$v/usr/share/gocode"
  mkdir -p "$src/src/celgo"
  cp "$here/main.go" "$src/src/celgo/main.go"
  version="$(cat "$cache/cel-$v/version")"
  GOPATH="$src" "$GOROOT/bin/go" build -ldflags "-X main.celGoBuild=$version" -o "$cache/bin/celgo-$v" celgo >&2
done
echo "$stamp" >"$cache/stamp"
echo "$cache"
