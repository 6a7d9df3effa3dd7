#!/usr/bin/env bash
# Deploys the PDS to Azure in one command: infra/bicep/main.bicep in one of three topologies,
# the app (Flex Consumption package and/or container image), the secrets, the DNS records to
# create, a health wait and a crawl request. Run it again to upgrade; it keeps what exists.
#
#   scripts/deploy.sh --resource-group RG --topology serverless|container|community --hostname HOST
#                     [--location LOC] [--relays bsky.network,...] [--alert-email ADDR] [--apex]
#                     [--wildcard-cert-secret-uri URI] [--image REF] [--what-if] [--dry-run]
#
# Needs: Azure CLI 2.60+ signed in (az login) with Owner or User Access Administrator on the
# resource group (the template assigns roles), the .NET SDK, python3, openssl; dig for the DNS
# check. --dry-run prints the commands instead of running them (no Azure needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

resource_group="" topology="" hostname="" location="" relays="bsky.network" alert_email=""
apex=false wildcard_uri="" image="" what_if=false dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group|-g) resource_group="${2:-}"; shift 2 ;;
    --topology|-t) topology="${2:-}"; shift 2 ;;
    --hostname) hostname="${2:-}"; shift 2 ;;
    --location|-l) location="${2:-}"; shift 2 ;;
    --relays) relays="${2:-}"; shift 2 ;;
    --alert-email) alert_email="${2:-}"; shift 2 ;;
    --apex) apex=true; shift ;;
    --wildcard-cert-secret-uri) wildcard_uri="${2:-}"; shift 2 ;;
    --image) image="${2:-}"; shift 2 ;;
    --what-if) what_if=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

missing=()
[ -n "$resource_group" ] || missing+=("--resource-group")
[ -n "$topology" ] || missing+=("--topology")
[ -n "$hostname" ] || missing+=("--hostname")
if [ ${#missing[@]} -gt 0 ]; then
  echo "deploy: missing required parameter(s): ${missing[*]}" >&2
  echo "usage: scripts/deploy.sh --resource-group RG --topology serverless|container|community --hostname HOST [options] (see --help)" >&2
  exit 2
fi
case "$topology" in
  serverless|container|community) ;;
  *) echo "deploy: --topology must be serverless, container or community (got '$topology')" >&2; exit 2 ;;
esac
hostname="$(printf '%s' "$hostname" | tr '[:upper:]' '[:lower:]')"
if ! [[ "$hostname" =~ ^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$ ]]; then
  echo "deploy: --hostname must be a DNS name such as pds.example.com (got '$hostname')" >&2
  exit 2
fi
relay_list=()
IFS=',' read -r -a relay_list <<< "$relays"

template="$root/infra/bicep/main.bicep"
parameters="$root/infra/bicep/$topology.parameters.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077

say() { printf '\n== %s\n' "$*"; }

# Runs a command, or in --dry-run prints it (shell-quoted) and runs nothing.
run() {
  if $dry_run; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

# Like run, but for commands whose standard output we keep; a dry run prints the command on the
# script's own standard output (descriptor 3) and yields $DRY_OUTPUT.
exec 3>&1
capture() {
  if $dry_run; then
    printf '+' >&3; printf ' %q' "$@" >&3; printf '\n' >&3
    printf '%s' "${DRY_OUTPUT:-}"
  else
    "$@"
  fi
}

# One output of a deployment (a JSON file of properties.outputs); in a dry run, <name>.
output() {
  if $dry_run; then printf '<%s>' "$2"; return; fi
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2],{}).get("value",""); print(json.dumps(v) if isinstance(v,(dict,list)) else str(v).lower() if isinstance(v,bool) else v)' "$1" "$2"
}

require_tools() {
  local absent=()
  for tool in az dotnet python3 openssl curl; do
    command -v "$tool" >/dev/null 2>&1 || absent+=("$tool")
  done
  if [ ${#absent[@]} -gt 0 ]; then
    echo "deploy: missing tools: ${absent[*]}" >&2
    exit 1
  fi
  local version
  version="$(az version --query '"azure-cli"' -o tsv)"
  if [ "$(printf '%s\n2.60.0\n' "$version" | sort -V | head -n1)" != "2.60.0" ]; then
    echo "deploy: Azure CLI $version is too old for Flex Consumption; 2.60 or newer is needed" >&2
    exit 1
  fi
}

# Object id and kind of whoever is signed in: they get Key Vault Secrets Officer to write the secrets.
deployer() {
  if $dry_run; then deployer_id="<your-object-id>"; deployer_type="User"; return; fi
  if [ "$(az account show --query user.type -o tsv)" = "servicePrincipal" ]; then
    deployer_id="$(az ad sp show --id "$(az account show --query user.name -o tsv)" --query id -o tsv)"
    deployer_type="ServicePrincipal"
  else
    deployer_id="$(az ad signed-in-user show --query id -o tsv)"
    deployer_type="User"
  fi
}

relays_json() {
  python3 -c 'import json,sys; print(json.dumps([r.strip() for r in sys.argv[1:] if r.strip()]))' "${relay_list[@]}"
}

# The template's parameters for this run, as the @file az reads alongside the topology's file.
write_overrides() {
  local file="$1" deploy_apps="$2" bind="$3" certificate="$4" tag="$5"
  python3 - "$file" "$hostname" "$deploy_apps" "$bind" "$certificate" "$tag" "$image" "$alert_email" "$apex" \
    "$wildcard_uri" "$deployer_id" "$deployer_type" "$(relays_json)" <<'PY'
import json, sys
(file, hostname, deploy_apps, bind, certificate, tag, image, email, apex,
 wildcard, deployer, deployer_type, relays) = sys.argv[1:]
values = {
    "hostname": hostname, "deployApps": deploy_apps == "true", "bindCustomDomain": bind == "true",
    "existingCertificateId": certificate, "imageTag": tag, "containerImage": image, "alertEmail": email,
    "hostnameIsApex": apex == "true", "wildcardCertificateSecretUri": wildcard,
    "deployerPrincipalId": deployer, "deployerPrincipalType": deployer_type, "relays": json.loads(relays),
}
json.dump({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
           "contentVersion": "1.0.0.0", "parameters": {k: {"value": v} for k, v in values.items()}},
          open(file, "w"), indent=2)
PY
}

# az deployment group create (or what-if); the outputs land in $work/<name>.json.
deploy_template() {
  local name="$1" deploy_apps="$2" bind="$3" certificate="$4"
  local overrides="$work/$name.parameters.json"
  if $dry_run; then
    printf '# %s parameters: hostname=%s deployApps=%s bindCustomDomain=%s imageTag=%s\n' "$name" "$hostname" "$deploy_apps" "$bind" "$tag"
  else
    write_overrides "$overrides" "$deploy_apps" "$bind" "$certificate" "$tag"
  fi
  DRY_OUTPUT='{}' capture az deployment group create --resource-group "$resource_group" --name "pds-$name" \
    --template-file "$template" --parameters "@$parameters" --parameters "@$overrides" \
    --query properties.outputs --output json > "$work/$name.json"
}

# A Key Vault secret that must exist: kept if it does (a redeploy never rotates it), else made here.
# Values go through a 0600 file, never the command line or the log.
ensure_secret() {
  local vault="$1" name="$2" kind="$3"
  if ! $dry_run && az keyvault secret show --vault-name "$vault" --name "$name" --query id -o tsv >/dev/null 2>&1; then
    echo "secret $name: kept"
    return
  fi
  local file="$work/secret"
  if ! $dry_run; then
    case "$kind" in
      hex32) openssl rand -hex 32 | tr -d '\n' > "$file" ;;
      password) openssl rand -base64 24 | tr -d '\n/+=' > "$file" ;;
      secp256k1) secp256k1_private_hex > "$file" ;;
    esac
  fi
  # New role assignments take a few minutes to reach Key Vault: retry while access is denied.
  local attempt
  for attempt in $(seq 1 30); do
    if run az keyvault secret set --vault-name "$vault" --name "$name" --file "$file" --encoding utf-8 --query id -o none; then
      if $dry_run; then echo "secret $name: made when missing"; else echo "secret $name: created"; fi
      rm -f "$file"
      return
    fi
    echo "secret $name: not writable yet (role assignment propagating), retry $attempt/30" >&2
    sleep 10
  done
  rm -f "$file"
  echo "deploy: could not write Key Vault secret $name" >&2
  exit 1
}

# A random secp256k1 private key as 64 hex characters: the 32-byte scalar of openssl's SEC1 DER
# (30 74 02 01 01 04 20 <scalar> ...), checked rather than assumed.
secp256k1_private_hex() {
  local der
  der="$(openssl ecparam -name secp256k1 -genkey -noout -outform DER | od -An -v -tx1 | tr -d ' \n')"
  if [ "${der:0:14}" != "30740201010420" ]; then
    echo "deploy: unexpected openssl EC key encoding" >&2
    exit 1
  fi
  printf '%s' "${der:14:64}"
}

# An existing managed certificate for the hostname (bound directly on upgrades, so TLS never drops).
existing_certificate() {
  local environment="$1"
  $dry_run && return 0
  az containerapp env certificate list --resource-group "$resource_group" --name "$environment" \
    --managed-certificates-only --query "[?properties.subjectName=='$hostname'].id | [0]" -o tsv 2>/dev/null || true
}

# Whether the records Azure checks before issuing a certificate resolve as they must.
dns_ready() {
  local target="$1" verification="$2"
  if $dry_run; then
    echo "# dry run: assuming the DNS records above resolve"
    return 0
  fi
  command -v dig >/dev/null 2>&1 || return 1
  local txt
  txt="$(dig +short TXT "asuid.$hostname" | tr -d '"')"
  [ -n "$verification" ] && [ "$txt" = "$verification" ] || return 1
  if $apex; then
    [ "$(dig +short A "$hostname" | tail -n1)" = "$target" ]
  else
    [ "$(dig +short CNAME "$hostname" | sed 's/\.$//')" = "$target" ]
  fi
}

print_dns() {
  local fqdn="$1" ip="$2" verification="$3"
  say "DNS records to create at your DNS provider for $hostname"
  if $apex; then
    printf '  %-6s %-40s %s\n' A "$hostname" "$ip"
  else
    printf '  %-6s %-40s %s\n' CNAME "$hostname" "$fqdn"
  fi
  printf '  %-6s %-40s %s\n' TXT "asuid.$hostname" "$verification"
  printf '  %-6s %-40s %s\n' CNAME "*.$hostname" "$fqdn"
  echo "  The wildcard serves handles <name>.$hostname; it needs --wildcard-cert-secret-uri (a certificate"
  echo "  you import into the vault: managed certificates do not cover wildcards). A handle on a domain of"
  echo "  its own instead needs TXT _atproto.<that domain> = \"did=<the account's DID>\"."
}

wait_healthy() {
  local url="$1" deadline=$((SECONDS + 600))
  say "waiting for $url"
  if $dry_run; then run curl -fsS "$url"; return 0; fi
  until curl -fsS --max-time 10 "$url" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "deploy: $url did not answer within 10 minutes (see the Log Analytics workspace)" >&2
      return 1
    fi
    sleep 10
  done
  echo "healthy"
}

# `pds request-crawl`: the linux-x64 build from scripts/package.sh when there is one, else dotnet run.
request_crawl() {
  local cli=("$root/artifacts/functionapp/pds")
  [ -x "${cli[0]}" ] || cli=(dotnet run --project "$root/src/Pds.Functions" -c Release --)
  run "${cli[@]}" request-crawl --hostname "$hostname" "${relay_list[@]}"
}

# ---------------------------------------------------------------------------------------------
$dry_run || require_tools
tag="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo build)-$(date -u +%Y%m%d%H%M%S)"
$dry_run && tag="<git-sha>-<timestamp>"
deployer

# The final check before a change: what the full deployment would create, modify or delete.
# Nothing is built, written or deployed.
if $what_if; then
  say "what-if: $topology on $resource_group"
  environment="$(DRY_OUTPUT='<environment>' capture az containerapp env list --resource-group "$resource_group" --query '[0].name' -o tsv || true)"
  certificate=""
  [ -n "$environment" ] && certificate="$(existing_certificate "$environment")"
  write_overrides "$work/what-if.parameters.json" true "$([ -n "$certificate" ] && echo true || echo false)" "$certificate" "$tag"
  run az deployment group what-if --resource-group "$resource_group" --template-file "$template" \
    --parameters "@$parameters" --parameters "@$work/what-if.parameters.json"
  exit 0
fi

if [ -n "$location" ]; then
  say "resource group $resource_group in $location"
  run az group create --name "$resource_group" --location "$location" --output none
fi

say "1/6 base resources (storage, Key Vault, SignalR, registry, monitoring)"
deploy_template base false false ""
vault="$(output "$work/base.json" keyVaultName)"
registry_server="$(output "$work/base.json" registryServer)"
needs_plc="$(output "$work/base.json" needsPlcRotationSecret)"
$dry_run && needs_plc=$([ "$topology" = serverless ] && echo false || echo true)

say "2/6 secrets in Key Vault $vault"
ensure_secret "$vault" pds-admin-password password
ensure_secret "$vault" pds-jwt-secret hex32
ensure_secret "$vault" pds-forward-secret hex32
if [ "$needs_plc" = "true" ]; then
  ensure_secret "$vault" pds-plc-rotation-key secp256k1
else
  echo "PLC rotation key: a Key Vault key (sign mode), made by the template and pinned by the app on first start"
fi

say "3/6 build"
if [ -n "$image" ]; then
  echo "using image $image"
else
  # dotnet publish builds and pushes the image itself (no Docker daemon); the registry accepts an
  # Entra token for the fixed user name below. Every build gets its own tag: the previous stays for rollback.
  token="$(DRY_OUTPUT='<token>' capture az acr login --name "${registry_server%%.*}" --expose-token --query accessToken -o tsv)"
  export DOTNET_CONTAINER_REGISTRY_UNAME="00000000-0000-0000-0000-000000000000"
  export DOTNET_CONTAINER_REGISTRY_PWORD="$token"
  run dotnet publish "$root/src/Pds.Functions" -c Release -r linux-x64 --self-contained true \
    -t:PublishContainer -p:ContainerRegistry="$registry_server" -p:ContainerRepository=pds \
    -p:ContainerImageTag="$tag" --nologo -v quiet
  unset DOTNET_CONTAINER_REGISTRY_PWORD
fi
if [ "$topology" = serverless ]; then
  run bash "$root/scripts/package.sh"
  # Keep every uploaded package: rolling back is uploading the previous one.
  run cp "$root/artifacts/functionapp.zip" "$root/artifacts/functionapp-$tag.zip"
fi

say "4/6 apps"
certificate=""
environment="$(DRY_OUTPUT='<environment>' capture az containerapp env list --resource-group "$resource_group" --query '[0].name' -o tsv || true)"
[ -n "$environment" ] && certificate="$(existing_certificate "$environment")"
bind=false
[ -n "$certificate" ] && bind=true
deploy_template apps true "$bind" "$certificate"
fqdn="$(output "$work/apps.json" publicFqdn)"
static_ip="$(output "$work/apps.json" environmentStaticIp)"
verification="$(output "$work/apps.json" customDomainVerificationId)"
function_app="$(output "$work/apps.json" functionAppName)"
function_host="$(output "$work/apps.json" functionAppHostName)"

if [ "$topology" = serverless ]; then
  say "upload the Function App package (OneDeploy)"
  run az functionapp deployment source config-zip --resource-group "$resource_group" --name "$function_app" \
    --src "$root/artifacts/functionapp.zip"
  # First start: the app pins the PLC rotation key before the relay would ask for it.
  wait_healthy "https://$function_host/xrpc/_health"
fi

say "5/6 hostname"
print_dns "$fqdn" "$static_ip" "$verification"
if ! $bind; then
  if dns_ready "$([ "$apex" = true ] && echo "$static_ip" || echo "$fqdn")" "$verification"; then
    say "DNS is in place: issuing the managed certificate and binding $hostname"
    deploy_template bind true true ""
    bind=true
  else
    echo
    echo "Create the records above, wait until they resolve, then run this same command again:"
    echo "it binds $hostname with a free managed certificate and asks the relays to crawl."
  fi
fi

say "6/6 health and crawl"
if $bind; then
  wait_healthy "https://$hostname/xrpc/_health"
  request_crawl
else
  wait_healthy "https://$fqdn/xrpc/_health"
  echo "relays are asked to crawl once $hostname is bound (run again after DNS)"
fi

say "done"
echo "Before a later change, preview it with:"
echo "  scripts/deploy.sh --resource-group $resource_group --topology $topology --hostname $hostname --what-if"
echo "First account: pds account create --server https://$hostname --handle alice.$hostname --email ... (admin password: Key Vault secret pds-admin-password)"
