#!/usr/bin/env bash
# Builds the deployable Azure Functions package: artifacts/functionapp.zip holding host.json,
# one folder per function (functions/*), and the self-contained linux-x64 `pds` executable
# (ReadyToRun for a fast cold start). The zip is written here, on Linux, so `pds` keeps its
# executable bit (mode 0755), which a zip made on Windows would lose.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/functionapp"
zip="$root/artifacts/functionapp.zip"
rm -rf "$out" "$zip"
mkdir -p "$out"

dotnet publish "$root/src/Pds.Functions" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:TieredPGO=true -o "$out" --nologo -v quiet
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
