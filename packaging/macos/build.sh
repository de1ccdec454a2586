#!/bin/sh
# OrderDesk for macOS, from a checkout (Python 3.11 from python.org or Homebrew; Xcode's command-line
# tools for hdiutil and codesign):
#
#   sh packaging/macos/build.sh
#
# -> packaging/dist/OrderDesk.app and packaging/dist/OrderDesk-VERSION.dmg. The app is signed ad hoc
# only: for other Macs sign it with a Developer ID and notarize it (codesign --deep --options runtime
# --sign "Developer ID Application: …"; xcrun notarytool submit … --wait; xcrun stapler staple).
# NOT RUN YET: only the Linux bundle has been built and tried (packaging/README.md).
set -eu
cd "$(dirname "$0")/../.."
python="${PYTHON:-python3.11}"
[ -x .venv-mac/bin/python ] || "$python" -m venv .venv-mac
.venv-mac/bin/python -m pip install --upgrade pip
.venv-mac/bin/python -m pip install -e '.[package]'
.venv-mac/bin/python -m PyInstaller packaging/orderdesk.spec --noconfirm --log-level WARN \
  --distpath packaging/dist --workpath packaging/build
app=packaging/dist/OrderDesk.app
version=$("$app/Contents/MacOS/OrderDesk" --version | cut -d' ' -f2)
codesign --force --deep --sign - "$app"
rm -f "packaging/dist/OrderDesk-$version.dmg"
hdiutil create -volname OrderDesk -srcfolder "$app" -ov -format UDZO "packaging/dist/OrderDesk-$version.dmg"
echo "packaging/dist/OrderDesk-$version.dmg"
