#!/bin/sh
# Install this Evidence Organiser folder for the current user (no root needed), or for everyone
# with --system (run as root). Adds the menu entry, the icon and the .evpack file type.
#   ./install.sh                 copy to ~/.local/opt/evidence-organiser
#   sudo ./install.sh --system   copy to /opt/evidence-organiser
#   ./install.sh --uninstall     remove it again (add --system for the system-wide copy)
# Workspaces (your data) are never touched: they live in ~/.local/share/EvidenceOrganiser.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scope=user; action=install
for arg in "$@"; do
  case "$arg" in
    --system) scope=system ;;
    --uninstall) action=uninstall ;;
    *) echo "usage: $0 [--system] [--uninstall]" >&2; exit 2 ;;
  esac
done
if [ "$scope" = system ]; then
  appdir=/opt/evidence-organiser; share=/usr/share; bindir=/usr/local/bin
else
  appdir="$HOME/.local/opt/evidence-organiser"; share="${XDG_DATA_HOME:-$HOME/.local/share}"
  bindir="$HOME/.local/bin"
fi
sizes="16 24 32 48 64 128 256 512"
if [ "$action" = uninstall ]; then
  rm -rf "$appdir" "$share/applications/evidence-organiser.desktop" \
    "$share/mime/packages/evidence-organiser.xml" "$bindir/evidence-app"
  for s in $sizes; do rm -f "$share/icons/hicolor/${s}x${s}/apps/evidence-organiser.png"; done
else
  [ "$here" = "$appdir" ] || { rm -rf "$appdir"; mkdir -p "$appdir"; cp -a "$here/." "$appdir/"; }
  mkdir -p "$share/applications" "$share/mime/packages" "$bindir"
  sed "s#@APPDIR@#$appdir#g" "$here/evidence-organiser.desktop" \
    > "$share/applications/evidence-organiser.desktop"
  cp "$here/evidence-organiser-mime.xml" "$share/mime/packages/evidence-organiser.xml"
  for s in $sizes; do
    mkdir -p "$share/icons/hicolor/${s}x${s}/apps"
    cp "$here/_internal/icons/png/app-$s.png" "$share/icons/hicolor/${s}x${s}/apps/evidence-organiser.png"
  done
  ln -sf "$appdir/evidence-app" "$bindir/evidence-app"
fi
update-desktop-database "$share/applications" 2>/dev/null || true
update-mime-database "$share/mime" 2>/dev/null || true
gtk-update-icon-cache -q "$share/icons/hicolor" 2>/dev/null || true
echo "Evidence Organiser ${action}ed ($scope): $appdir"
