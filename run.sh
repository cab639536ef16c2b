#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds Release in build/, creates the
# demo project on first run and opens the studio on it.
#   ./run.sh [PROJECT]   opens PROJECT instead of the demo
# The demo lives in $SALIENT_DEMO, by default
# ${XDG_DATA_HOME:-~/.local/share}/SalientStudio/demo/demo.salient
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=packaging/deps.sh
source packaging/deps.sh

salient_install_deps
salient_build salient salient-cli

demo="${SALIENT_DEMO:-${XDG_DATA_HOME:-$HOME/.local/share}/SalientStudio/demo/demo.salient}"
if [ $# -eq 0 ] && [ ! -f "$demo" ]; then
    echo "Creating the demo project (3,000 Fashion-MNIST images) at $demo"
    mkdir -p "$(dirname "$demo")"
    "$salient_build_dir/app/salient-cli" demo "$demo"
fi
project="${1:-$demo}"

cli="${salient_build_dir#"$PWD"/}/app/salient-cli"
platform="${QT_QPA_PLATFORM:-}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
    && [ "$platform" != offscreen ] && [ "$platform" != minimal ] && [ "$platform" != vnc ]; then
    cat >&2 <<MSG
No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the studio
cannot open a window. The build is done and the project is ready:
  $project
Headless, use the command line:
  $cli info "$project"
  $cli list "$project" --json
  $cli --help
Or run the studio on a virtual display:
  xvfb-run -a ./run.sh
MSG
    exit 3
fi
exec "$salient_build_dir/app/salient" "$project"
