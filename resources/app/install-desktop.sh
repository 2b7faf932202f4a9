#!/bin/sh
# Adds PARÉ Desktop to the applications menu of the current user (no administrator rights needed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
mkdir -p "$apps"
for dir in "$here"/share/icons/hicolor/*/apps; do
    size=$(basename "$(dirname "$dir")")
    mkdir -p "$icons/$size/apps"
    cp "$dir/pare-desktop.png" "$icons/$size/apps/pare-desktop.png"
done
sed -e "s|^Exec=.*|Exec=\"$here/pare\" %F|" -e "s|^TryExec=.*|TryExec=$here/pare|" \
    "$here/share/applications/pare-desktop.desktop" > "$apps/pare-desktop.desktop"
chmod 644 "$apps/pare-desktop.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "PARÉ Desktop est dans le menu des applications ($apps/pare-desktop.desktop)."
