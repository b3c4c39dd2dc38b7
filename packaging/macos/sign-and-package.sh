#!/usr/bin/env bash
# macOS recipe: sign Viewer.app (built by `pyinstaller packaging/viewer.spec` on a Mac) inside
# out with the hardened runtime, put it in a .dmg, notarise and staple it.
#   IDENTITY="Developer ID Application: Acme (TEAMID)" NOTARY_PROFILE=acme \
#       bash packaging/macos/sign-and-package.sh build/dist/Viewer.app
# The order and the entitlements of each binary come from viewer/deploy/macos.py.
set -euo pipefail
app=${1:?path to Viewer.app}
: "${IDENTITY:?the Developer ID Application identity}"
cd "$(dirname "$0")/../.."
parent=$(dirname "$app")
version=$(python3 -c 'import viewer; print(viewer.__version__)')
(cd "$parent" && find "$(basename "$app")" -type f) > build/app-files.txt
python3 - build/app-files.txt "$(basename "$app")" <<'PY' > build/signing-order.txt
import sys
from viewer.deploy.macos import signing_order
files = open(sys.argv[1]).read().splitlines()
for signing in signing_order(files, sys.argv[2]):
    print(f"{signing.entitlements or '-'}\t{signing.path}")
PY
while IFS=$'\t' read -r entitlements path; do
    args=(--force --timestamp --options runtime --sign "$IDENTITY")
    [ "$entitlements" != "-" ] && args+=(--entitlements "$entitlements")
    codesign "${args[@]}" "$parent/$path"
done < build/signing-order.txt
codesign --verify --deep --strict --verbose=2 "$app"
dmg="build/viewer-$version.dmg"
hdiutil create -volname Viewer -srcfolder "$app" -ov -format UDZO "$dmg"
codesign --force --timestamp --sign "$IDENTITY" "$dmg"
if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
fi
echo "$dmg"
