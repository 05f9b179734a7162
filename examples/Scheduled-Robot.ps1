<#
.SYNOPSIS
A scheduled script (a robot): signs in with OAuth client credentials and a private key, no person, no API token.

.DESCRIPTION
Reports the org's users by status, as a nightly job would (Task Scheduler, cron, a CI pipeline).
The robot is an Okta API Services app whose client authentication is "Public key / Private key" (private_key_jwt),
with its public key registered and the okta.users.read scope granted. The private key stays on the machine that
runs the job: this script reads it from a file (or from -PrivateKey, e.g. a secret of your vault or pipeline);
the module signs a short-lived client assertion with it (RS256 for RSA keys, ES256 for EC P-256 keys), fetches an
access token once and renews it shortly before it expires. Nothing secret is ever printed.

.EXAMPLE
./examples/Scheduled-Robot.ps1 -BaseUrl https://myorg.okta.com -ClientId 0oa1robot2KLMN357 -PrivateKeyPath /etc/okta/robot.pem

Status      Users
------      -----
ACTIVE        412
DEPROVISIONED  17

.EXAMPLE
$env:OKTA_CLIENT_PRIVATEKEY = Get-Secret -Name okta-robot -AsPlainText   # from your vault, in a CI job
./examples/Scheduled-Robot.ps1 -BaseUrl $env:OKTA_ORG -ClientId $env:OKTA_ROBOT_ID

The key never touches the disk. Against okta-sim, register the public key as an OIDC service app first (see
tests/pester/Auth.Tests.ps1, which runs this script that way).

.PARAMETER BaseUrl
The org URL, e.g. https://myorg.okta.com (default: $env:OKTA_CLIENT_ORGURL).

.PARAMETER ClientId
The client id of the API Services app (default: $env:OKTA_CLIENT_CLIENTID).

.PARAMETER PrivateKeyPath
A file holding the private key: PEM (PKCS#1, PKCS#8 or SEC1) or a private JWK in JSON.

.PARAMETER PrivateKey
The private key itself (PEM text or JWK JSON), instead of -PrivateKeyPath (default: $env:OKTA_CLIENT_PRIVATEKEY).

.PARAMETER KeyId
The key's kid in the app's JWKS, when the app has several keys.

.PARAMETER Scope
The scopes to request (default: okta.users.read).
#>
[CmdletBinding()]
param(
    [string]$BaseUrl = $env:OKTA_CLIENT_ORGURL,
    [string]$ClientId = $env:OKTA_CLIENT_CLIENTID,
    [string]$PrivateKeyPath,
    [string]$PrivateKey = $env:OKTA_CLIENT_PRIVATEKEY,
    [string]$KeyId,
    [string]$Scope = 'okta.users.read'
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module Okta.PowerShell)) { Import-Module (Join-Path $PSScriptRoot '../Okta.PowerShell.psd1') }
if (-not $BaseUrl -or -not $ClientId) { throw 'Give -BaseUrl and -ClientId (or set OKTA_CLIENT_ORGURL and OKTA_CLIENT_CLIENTID).' }
if (-not $PrivateKeyPath -and -not $PrivateKey) { throw 'Give -PrivateKeyPath or -PrivateKey (or set OKTA_CLIENT_PRIVATEKEY).' }

$c = Get-OktaConfiguration
$c.BaseUrl = $BaseUrl
$c.ClientId = $ClientId
$c.Scope = $Scope
$c.PrivateKey = if ($PrivateKeyPath) { (Resolve-Path $PrivateKeyPath).ProviderPath } else { $PrivateKey }
$c.PrivateKeyId = $KeyId

# One token for the whole run: every command below reuses it.
Invoke-OktaListUsers -All |
    Group-Object -Property status |
    Sort-Object -Property Name |
    ForEach-Object { [pscustomobject]@{ Status = $_.Name; Users = $_.Count } }
