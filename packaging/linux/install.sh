#!/bin/sh
# OrderDesk for one user, from this unpacked bundle (no root, nothing outside the user's home):
#
#   ./install.sh               the bundle to ~/.local/lib/orderdesk, the launcher ~/.local/bin/orderdesk,
#                              the menu entry and icons under ~/.local/share, the systemd user units
#                              under ~/.config/systemd/user (installed, NOT enabled: see below)
#   ./install.sh --uninstall   all of that removed again (~/.config/orderdesk/unattended.env is kept)
#   --prefix DIR (default ~/.local), --config DIR (default ${XDG_CONFIG_HOME:-~/.config})
#
# The unattended sync (every 5 minutes) and the daily report (09:00 China time) start only when asked:
#   edit ~/.config/orderdesk/unattended.env (the hub; a token for a machine nobody logs in to), then
#   systemctl --user daemon-reload
#   systemctl --user enable --now orderdesk-sync.timer orderdesk-report-daily.timer
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
prefix="${HOME:?}/.local"
config="${XDG_CONFIG_HOME:-$HOME/.config}"
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix DIR}"; shift 2 ;;
    --config) config="${2:?--config DIR}"; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

bundle="$prefix/lib/orderdesk"
launcher="$prefix/bin/orderdesk"
applications="$prefix/share/applications"
icons="$prefix/share/icons/hicolor"
units="$config/systemd/user"
envfile="$config/orderdesk/unattended.env"
unit_names="orderdesk-sync.service orderdesk-sync.timer orderdesk-report-daily.service orderdesk-report-daily.timer"
say() { printf 'orderdesk install: %s\n' "$*"; }

refresh_desktop() {  # menus and icon themes notice the change (each tool only where the desktop has it)
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
  if [ "$config" = "${XDG_CONFIG_HOME:-$HOME/.config}" ] && command -v systemctl >/dev/null 2>&1; then
    systemctl --user disable --now orderdesk-sync.timer orderdesk-report-daily.timer >/dev/null 2>&1 || true
  fi
  for name in $unit_names; do rm -f "$units/$name"; done
  rm -f "$launcher" "$applications/orderdesk.desktop"
  find "$icons" -path '*/apps/orderdesk.*' -delete 2>/dev/null || true
  rm -rf "$bundle"
  refresh_desktop
  say "removed; kept $envfile and the data folders (settings, cache: ~/.local/share/orderdesk, ~/.config/orderdesk)"
  exit 0
fi

[ -x "$here/orderdesk" ] && [ -d "$here/_internal" ] || { say "run me from the unpacked bundle folder"; exit 1; }

# The bundle itself: copied beside the old one, then swapped in (a running console keeps its files).
if [ "$here" != "$(cd "$bundle" 2>/dev/null && pwd -P || echo -)" ]; then
  mkdir -p "$prefix/lib"
  rm -rf "$bundle.new" "$bundle.old"
  cp -R "$here" "$bundle.new"
  [ -e "$bundle" ] && mv "$bundle" "$bundle.old"
  mv "$bundle.new" "$bundle"
  rm -rf "$bundle.old"
fi
"$bundle/orderdesk" --version >/dev/null || { say "the bundle in $bundle does not start"; exit 1; }

# The launcher: the bundle's executable, by its own path (it finds _internal/ beside itself).
mkdir -p "$(dirname "$launcher")"
printf '#!/bin/sh\nexec "%s/orderdesk" "$@"\n' "$bundle" >"$launcher"
chmod 755 "$launcher"

substitute() {  # template → file, with this installation's paths
  sed -e "s|@LAUNCHER@|$launcher|g" -e "s|@ENVFILE@|$envfile|g" -e "s|@BUNDLE@|$bundle|g" "$1" >"$2"
}

mkdir -p "$applications"
substitute "$bundle/share/applications/orderdesk.desktop" "$applications/orderdesk.desktop"
(cd "$bundle/share/icons/hicolor" && find . -name 'orderdesk.*' | while read -r icon; do
  mkdir -p "$icons/$(dirname "$icon")"
  cp "$icon" "$icons/$icon"
done)
refresh_desktop

mkdir -p "$units"
for name in $unit_names; do substitute "$bundle/share/systemd/user/$name" "$units/$name"; done
if [ ! -e "$envfile" ]; then
  mkdir -p "$(dirname "$envfile")"
  (umask 077 && cp "$bundle/share/orderdesk/unattended.env.example" "$envfile")
fi

say "OrderDesk $("$launcher" --version | cut -d' ' -f2) in $bundle"
say "launcher: $launcher (the menu's OrderDesk entry runs it)"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) say "add $prefix/bin to PATH to type 'orderdesk' in a terminal" ;; esac
say "systemd user units installed in $units, none enabled. For the unattended sync and the daily report:"
say "  edit $envfile, then"
say "  systemctl --user daemon-reload && systemctl --user enable --now orderdesk-sync.timer orderdesk-report-daily.timer"
