<#
.SYNOPSIS
Gets the live Okta configuration of this PowerShell session.

.DESCRIPTION
Returns the configuration object that every Okta command uses. It is live: changing it
($c.BaseUrl = '...', $c.ApiKey = @{ apitoken = '...' }) changes what the next command uses, as with
the official module. Printing it masks secrets (API keys, access tokens, cookies).

.EXAMPLE
$c = Get-OktaConfiguration
$c.BaseUrl = 'https://myorg.okta.com'
$c.ApiKey = @{ apitoken = $env:OKTA_API_TOKEN }

.OUTPUTS
Okta.PowerShell.Configuration.OktaConfiguration (a case-insensitive Hashtable)
#>
function Get-OktaConfiguration {
    [CmdletBinding()]
    [OutputType([Okta.PowerShell.Configuration.OktaConfiguration])]
    Param()
    [Okta.PowerShell.Configuration.OktaConfiguration]::Current
}

<#
.SYNOPSIS
Sets the Okta configuration of this PowerShell session.

.DESCRIPTION
Sets the org URL and the credentials used by every Okta command. Only the parameters you pass are
changed. An API token is sent as "Authorization: SSWS <token>" (change the prefix with
-ApiKeyPrefix); an access token is sent as "Authorization: Bearer <token>" and wins over an API token.

.PARAMETER BaseUrl
The org URL, e.g. https://myorg.okta.com (or the URL the okta-sim simulator prints).
.PARAMETER ApiKey
The API token, as @{ apitoken = '<token>' } (official module style) or as a plain string or SecureString.
.PARAMETER ApiKeyPrefix
The Authorization scheme sent before the API token; "SSWS" when not set. A string or @{ apitoken = '<prefix>' }.
.PARAMETER Cookie
A session cookie sent with every request (rarely needed; kept for compatibility with the official module).
.PARAMETER AccessToken
An OAuth 2.0 access token, sent as a Bearer token.
.PARAMETER ClientId
The client id of the OIDC app used by OAuth flows.
.PARAMETER Scope
The OAuth scopes to request, space-separated (e.g. "okta.users.read okta.groups.read").
.PARAMETER DefaultHeaders
Headers sent with every request, as a hashtable.
.PARAMETER MaxRetries
How many times a failed request may be retried.
.PARAMETER RequestTimeout
The whole-request deadline in milliseconds; 0 or less means no timeout.
.PARAMETER Proxy
A proxy: a URL string, a System.Uri or a System.Net.WebProxy.
.PARAMETER SkipCertificateCheck
Accepts any TLS certificate. Only for test servers: it disables the protection TLS gives.
.PARAMETER PassThru
Returns the configuration object.

.EXAMPLE
Set-OktaConfiguration -BaseUrl 'https://myorg.okta.com' -ApiKey @{ apitoken = $env:OKTA_API_TOKEN }
#>
function Set-OktaConfiguration {
    [CmdletBinding(SupportsShouldProcess = $false)]
    [OutputType([Okta.PowerShell.Configuration.OktaConfiguration])]
    Param(
        [string]$BaseUrl,
        [string]$ClientId,
        [string]$Scope,
        [object]$ApiKey,
        [object]$ApiKeyPrefix,
        [AllowEmptyString()]
        [string]$Cookie,
        [AllowEmptyString()]
        [string]$AccessToken,
        [hashtable]$DefaultHeaders,
        [object]$Proxy,
        [int]$MaxRetries,
        [int]$RequestTimeout,
        [switch]$SkipCertificateCheck,
        [switch]$PassThru
    )
    $configuration = [Okta.PowerShell.Configuration.OktaConfiguration]::Current
    if ($PSBoundParameters.ContainsKey('BaseUrl')) {
        $url = $BaseUrl -as [System.Uri]
        if ($null -eq $url -or -not $url.IsAbsoluteUri -or $url.Scheme -notin 'http', 'https') {
            throw [System.ArgumentException]::new("Invalid -BaseUrl '$BaseUrl': use an absolute http(s) URL such as https://myorg.okta.com.", 'BaseUrl')
        }
    }
    foreach ($name in 'BaseUrl', 'ClientId', 'ApiKey', 'ApiKeyPrefix', 'Cookie', 'AccessToken', 'DefaultHeaders', 'Proxy', 'MaxRetries', 'RequestTimeout') {
        if ($PSBoundParameters.ContainsKey($name)) {
            $configuration[$name] = $PSBoundParameters[$name]
        }
    }
    if ($PSBoundParameters.ContainsKey('Scope')) {
        $configuration['Scope'] = $Scope
    }
    if ($PSBoundParameters.ContainsKey('SkipCertificateCheck')) {
        $configuration['SkipCertificateCheck'] = $SkipCertificateCheck.IsPresent
        if ($SkipCertificateCheck) {
            Write-Warning 'SkipCertificateCheck is on: TLS certificates are not verified. Use it only against test servers.'
        }
    }
    if ($PassThru) {
        $configuration
    }
}
