<#
.SYNOPSIS
Gets the live Okta configuration of this PowerShell session.

.DESCRIPTION
Returns the configuration object that every Okta command uses. It is live: changing it
($c.BaseUrl = '...', $c.ApiKey = @{ apitoken = '...' }) changes what the next command uses, as with
the official module. Printing, ConvertTo-Json or Export-Clixml of it mask secrets (API keys, access tokens,
cookies, credential headers in DefaultHeaders, passwords in BaseUrl or Proxy URLs).

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
The org URL, e.g. https://myorg.okta.com (or the URL the okta-sim simulator prints). A query string or a
user:password@ is refused; a path, or http:// to a host other than this machine, warns.
.PARAMETER ApiKey
The API token, as @{ apitoken = '<token>' } (official module style) or as a plain string or SecureString.
However given, it is kept masked: printing, exporting or converting the configuration shows ********.
Without an ApiKey, AccessToken or Authorization default header, commands fail before sending anything.
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
How many times a failed request may be retried (0 = never; default 4): a 429 for any method, 502/503/504 and
failed connections for idempotent methods only.
.PARAMETER MaxApiCapacity
The share of each Okta rate-limit bucket this session may use, 1-100 % (default 100): the rest is left for
other clients of the org, as Terraform's max_api_capacity does.
.PARAMETER MaxConcurrency
How many requests may be in flight at once to the org from this process (default 10, Okta's advice).
.PARAMETER RequestTimeout
The whole-request deadline in milliseconds; 0 or less means no timeout.
.PARAMETER Proxy
A proxy: an absolute URL string (http://proxy.example.com:3128), a System.Uri or a System.Net.WebProxy.
Anything else is refused. A user:password@ in it is never shown.
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
        [ValidateRange(0, [int]::MaxValue)]
        [int]$MaxRetries,
        [ValidateRange(1, 100)]
        [int]$MaxApiCapacity,
        [ValidateRange(1, 1000)]
        [int]$MaxConcurrency,
        [int]$RequestTimeout,
        [switch]$SkipCertificateCheck,
        [switch]$PassThru
    )
    $configuration = [Okta.PowerShell.Configuration.OktaConfiguration]::Current
    if ($PSBoundParameters.ContainsKey('BaseUrl')) {
        # Messages show the URL with any user:password@ masked: an error record must never carry a secret.
        $shown = [Okta.PowerShell.Configuration.Secrets]::RedactUrls($BaseUrl)
        $url = $BaseUrl.Trim() -as [System.Uri]
        if ($null -eq $url -or -not $url.IsAbsoluteUri -or $url.Scheme -notin 'http', 'https' -or -not $url.Host) {
            throw [System.ArgumentException]::new("Invalid -BaseUrl '$shown': use an absolute http(s) URL such as https://myorg.okta.com.", 'BaseUrl')
        }
        if ($url.UserInfo) {
            throw [System.ArgumentException]::new("Invalid -BaseUrl '$shown': it must not contain a user name or password; pass the API token with -ApiKey.", 'BaseUrl')
        }
        if ($url.Query -or $url.Fragment) {
            throw [System.ArgumentException]::new("Invalid -BaseUrl '$shown': Okta org URLs have no query string or fragment; use e.g. https://myorg.okta.com.", 'BaseUrl')
        }
        if ($url.AbsolutePath -ne '/') {
            Write-Warning "BaseUrl '$shown' has a path ('$($url.AbsolutePath)'), and Okta org URLs have none: requests will go to $($url.GetLeftPart('Path').TrimEnd('/'))/api/v1/... Use just the org URL (https://myorg.okta.com) unless a gateway needs the path."
        }
        if ($url.Scheme -eq 'http' -and -not $url.IsLoopback) {
            Write-Warning "BaseUrl '$shown' uses http:// to a host that is not this machine: the API token would travel in clear text. Use https://."
        }
    }
    if ($PSBoundParameters.ContainsKey('Proxy')) {
        $problem = [Okta.PowerShell.Configuration.OktaConfiguration]::ProxyProblem($Proxy)
        if ($problem) {
            throw [System.ArgumentException]::new("Invalid -Proxy: $problem", 'Proxy')
        }
    }
    foreach ($name in 'BaseUrl', 'ClientId', 'ApiKey', 'ApiKeyPrefix', 'Cookie', 'AccessToken', 'DefaultHeaders', 'Proxy', 'MaxRetries', 'MaxApiCapacity', 'MaxConcurrency', 'RequestTimeout') {
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
