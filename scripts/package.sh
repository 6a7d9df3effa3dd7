#!/usr/bin/env bash
# Builds the deployable Azure Functions package: artifacts/functionapp.zip holding host.json,
# one folder per function (functions/*), and the self-contained linux-x64 `pds` executable
# (ReadyToRun for a fast cold start). The zip is written here, on Linux, so `pds` keeps its
# executable bit (mode 0755), which a zip made on Windows would lose.
#
#   bash scripts/package.sh [OUT.zip]     (default artifacts/functionapp.zip)
#
# The unzipped tree is left beside the zip, in OUT (the zip's path without .zip). The package
# tests pass a temporary path so a test run never replaces a developer's artifacts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zip="${1:-$root/artifacts/functionapp.zip}"
case "$zip" in
  *?.zip) ;;
  *) echo "package.sh: the output must be a path ending in .zip, got '$zip'" >&2; exit 2 ;;
esac
mkdir -p "$(dirname "$zip")"
zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
out="${zip%.zip}"
rm -rf "$out" "$zip"
mkdir -p "$out"

# Crossgen's incremental check does not notice a change of ReadyToRun mode (composite or not):
# images left from another mode end up in the package and the runtime aborts on loading pds.dll.
# Compiling them afresh costs about a minute; packages are built rarely.
rm -rf "$root"/src/Pds.Functions/obj/Release/*/linux-x64/R2R
# Composite ReadyToRun: the framework and the app precompiled as one image, so generic code
# instantiated across assemblies (async state machines, collections of app types) needs no JIT
# at startup. See bench/coldstart/README.md for the measurements behind each setting.
dotnet publish "$root/src/Pds.Functions" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$out" --nologo -v quiet
cp "$root/host.json" "$out/"
for fn in "$root"/functions/*/; do
  name=$(basename "$fn")
  mkdir -p "$out/$name"
  cp "$fn/function.json" "$out/$name/"
done
chmod 0755 "$out/pds"

# Python's zipfile records Unix modes in external_attr, so the apphost stays executable.
python3 - "$out" "$zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for base, _, files in os.walk(src):
        for f in sorted(files):
            path = os.path.join(base, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, src))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                z.writestr(info, fh.read())
PY
echo "wrote $zip ($(du -h "$zip" | cut -f1))"
