# The small helper functions the official module 2.0.2 exports besides its API and model commands. Scripts
# written for it call some of them (Set-OktaConfigurationApiKey, Get-OktaHostSetting...), so they exist here
# with the same names and parameters; they work on this module's live configuration.

<#
.SYNOPSIS
Sets the OAuth access token (sent as Bearer; it wins over the API token).
.PARAMETER AccessToken
The access token; $null or "" forgets it.
.EXAMPLE
Set-OktaConfigurationAccessToken $token
#>
function Set-OktaConfigurationAccessToken {
    [CmdletBinding()]
    Param([AllowNull()][AllowEmptyString()][string]$AccessToken)
    Process { (Get-OktaConfiguration)['AccessToken'] = $AccessToken }
}

<#
.SYNOPSIS
Sets how many times a failed request is retried (0 = never).
.PARAMETER MaxRetries
The number of retries; must not be negative.
.EXAMPLE
Set-OktaConfigurationMaxRetries 3
#>
function Set-OktaConfigurationMaxRetries {
    [CmdletBinding()]
    Param([int]$MaxRetries)
    Process { Set-OktaConfiguration -MaxRetries $MaxRetries }
}

<#
.SYNOPSIS
Sets the deadline of a request in milliseconds (0 = none).
.PARAMETER RequestTimeout
Milliseconds.
.EXAMPLE
Set-OktaConfigurationRequestTimeout 30000
#>
function Set-OktaConfigurationRequestTimeout {
    [CmdletBinding()]
    Param([int]$RequestTimeout)
    Process { Set-OktaConfiguration -RequestTimeout $RequestTimeout }
}

<#
.SYNOPSIS
Sets an API key of a security scheme (Okta's API token is the scheme "apitoken").
.PARAMETER Id
The security scheme: apitoken.
.PARAMETER ApiKey
The API token. It is never shown: printing the configuration masks it.
.EXAMPLE
Set-OktaConfigurationApiKey -Id apitoken -ApiKey $env:OKTA_API_TOKEN
#>
function Set-OktaConfigurationApiKey {
    [CmdletBinding()]
    Param([string]$Id, [AllowEmptyString()][string]$ApiKey)
    Process { (Get-OktaConfiguration)['ApiKey'][$Id] = $ApiKey }
}

<#
.SYNOPSIS
Sets the scheme word sent before an API key (SSWS by default).
.PARAMETER Id
The security scheme: apitoken.
.PARAMETER ApiKeyPrefix
The prefix, e.g. SSWS or Bearer.
.EXAMPLE
Set-OktaConfigurationApiKeyPrefix -Id apitoken -ApiKeyPrefix SSWS
#>
function Set-OktaConfigurationApiKeyPrefix {
    [CmdletBinding()]
    Param([string]$Id, [AllowEmptyString()][string]$ApiKeyPrefix)
    Process { (Get-OktaConfiguration)['ApiKeyPrefix'][$Id] = $ApiKeyPrefix }
}

<#
.SYNOPSIS
Sets a header sent with every request.
.PARAMETER Key
The header name.
.PARAMETER Value
The header value.
.EXAMPLE
Set-OktaConfigurationDefaultHeader -Key X-Client -Value reports
#>
function Set-OktaConfigurationDefaultHeader {
    [CmdletBinding()]
    Param([string]$Key, [AllowEmptyString()][string]$Value)
    Process { (Get-OktaConfiguration)['DefaultHeaders'][$Key] = $Value }
}

<#
.SYNOPSIS
The org URL template and its variable, as the official module describes its server.
.EXAMPLE
(Get-OktaHostSetting)[0].Url
#>
function Get-OktaHostSetting {
    [CmdletBinding()]
    Param()
    , @(@{
            Url         = 'https://{yourOktaDomain}'
            Description = 'Your Okta org'
            Variables   = @{
                yourOktaDomain = @{
                    Description  = 'The domain of your org: a subdomain of okta.com, oktapreview.com... or a custom domain.'
                    DefaultValue = 'subdomain.okta.com'
                }
            }
        })
}

<#
.SYNOPSIS
Builds the org URL from the host setting at -Index with -Variables filled in.
.PARAMETER Index
Which host setting (0).
.PARAMETER Variables
Variable name → value, e.g. @{ yourOktaDomain = 'myorg.okta.com' }.
.EXAMPLE
Get-OktaUrlFromHostSetting -Index 0 -Variables @{ yourOktaDomain = 'myorg.okta.com' }
#>
function Get-OktaUrlFromHostSetting {
    [CmdletBinding()]
    Param([Parameter(ValueFromPipeline = $true)][int]$Index, [hashtable]$Variables = @{})
    Process {
        $settings = Get-OktaHostSetting
        if ($Index -lt 0 -or $Index -ge $settings.Count) {
            throw [System.ArgumentOutOfRangeException]::new('Index', "-Index $($Index): there are $($settings.Count) host settings.")
        }
        $url = $settings[$Index].Url
        foreach ($variable in $settings[$Index].Variables.GetEnumerator()) {
            $value = if ($Variables.ContainsKey($variable.Name)) { $Variables[$variable.Name] } else { $variable.Value.DefaultValue }
            $url = $url.Replace("{$($variable.Name)}", $value)
        }
        $url
    }
}

<#
.SYNOPSIS
Not supported: Okta's Management API does not use HTTP message signatures. Kept so scripts that call it get a clear error.
.PARAMETER KeyId
Not used.
.PARAMETER KeyFilePath
Not used.
.PARAMETER KeyPassPhrase
Not used.
.PARAMETER HttpSigningHeader
Not used.
.PARAMETER HashAlgorithm
Not used.
.PARAMETER SigningAlgorithm
Not used.
.PARAMETER SignatureValidityPeriod
Not used.
.EXAMPLE
Set-OktaConfiguration -ApiKey @{ apitoken = $env:OKTA_API_TOKEN }   # instead
#>
function Set-OktaConfigurationHttpSigning {
    [CmdletBinding()]
    Param(
        [Parameter(Mandatory = $true)][string]$KeyId,
        [Parameter(Mandatory = $true)][string]$KeyFilePath,
        [securestring]$KeyPassPhrase,
        [string[]]$HttpSigningHeader = @('(created)'),
        [string]$HashAlgorithm = 'sha256',
        [string]$SigningAlgorithm,
        [int]$SignatureValidityPeriod
    )
    throw [System.NotSupportedException]::new('HTTP message signing is not used by the Okta Management API. Use an API token (Set-OktaConfiguration -ApiKey) or OAuth (-AccessToken).')
}

<#
.SYNOPSIS
Always $null: HTTP message signing is not supported (see Set-OktaConfigurationHttpSigning).
.EXAMPLE
Get-OktaConfigurationHttpSigning
#>
function Get-OktaConfigurationHttpSigning {
    [CmdletBinding()]
    Param()
    $null
}

<#
.SYNOPSIS
Whether a request answered with -StatusCode should be retried under the configured MaxRetries and RequestTimeout
(the official module's rule: only 429). This module's own retries happen in its core; this is kept for scripts.
.PARAMETER StatusCode
The HTTP status of the answer.
.PARAMETER RetryCount
How many retries were made so far.
.PARAMETER ElapsedTime
Milliseconds spent on the request so far.
.EXAMPLE
ShouldRetry -StatusCode 429 -RetryCount 0 -ElapsedTime 100
#>
function ShouldRetry {
    [CmdletBinding()]
    Param([Parameter(Mandatory)][int]$StatusCode, [Parameter(Mandatory)][int]$RetryCount, [Parameter(Mandatory)][int]$ElapsedTime)
    $configuration = Get-OktaConfiguration
    $maxRetries = $configuration['MaxRetries']
    $timeout = $configuration['RequestTimeout']
    if ($null -eq $maxRetries -or $maxRetries -le 0) { return $false }
    $inTime = $null -eq $timeout -or $timeout -le 0 -or $ElapsedTime -lt $timeout
    $StatusCode -eq 429 -and $RetryCount -lt $maxRetries -and $inTime
}

<#
.SYNOPSIS
Milliseconds to wait before retrying a 429: X-Rate-Limit-Reset minus the response's Date, plus one second.
.PARAMETER Headers
The response headers (name → values), as -WithHttpInfo returns them.
.EXAMPLE
CalculateDelay -Headers (Invoke-OktaListUsers -WithHttpInfo).Headers
#>
function CalculateDelay {
    [CmdletBinding()]
    Param([Parameter(Mandatory)][hashtable]$Headers)
    $reset = @($Headers['X-Rate-Limit-Reset'])[0]
    $date = @($Headers['Date'])[0]
    if ($null -eq $reset) { throw [System.ArgumentException]::new('The X-Rate-Limit-Reset header is missing.', 'Headers') }
    if ($null -eq $date) { throw [System.ArgumentException]::new('The Date header is missing.', 'Headers') }
    $resetAt = [DateTimeOffset]::FromUnixTimeSeconds([long]$reset)
    $answeredAt = [DateTimeOffset]::Parse($date, [cultureinfo]::InvariantCulture)
    ($resetAt - $answeredAt).TotalMilliseconds + 1000
}

<#
.SYNOPSIS
Adds X-Okta-Retry-For and X-Okta-Retry-Count to a header table, as Okta's SDKs send them on a retry.
.PARAMETER Headers
The header table to add to.
.PARAMETER RequestId
The X-Okta-Request-Id of the first attempt.
.PARAMETER RetryCount
The number of this retry.
.EXAMPLE
$h = @{}; AddRetryHeaders -Headers $h -RequestId 'abc' -RetryCount 1
#>
function AddRetryHeaders {
    [CmdletBinding()]
    Param([Parameter(Mandatory)][AllowEmptyCollection()][hashtable]$Headers, [Parameter(Mandatory)][string]$RequestId, [Parameter(Mandatory)][int]$RetryCount)
    $Headers['X-Okta-Retry-For'] = $RequestId
    $Headers['X-Okta-Retry-Count'] = $RetryCount
}

<#
.SYNOPSIS
Splits an absolute URL into its path (RelativeUri) and its query parameters (QueryParameters).
.PARAMETER Uri
An absolute URL, e.g. a NextPageUri.
.EXAMPLE
(Invoke-ParseAbsoluteUri 'https://myorg.okta.com/api/v1/users?limit=2').QueryParameters.limit
#>
function Invoke-ParseAbsoluteUri {
    [CmdletBinding()]
    Param([Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true, Mandatory = $true)][string]$Uri)
    Process {
        $parsed = $Uri -as [System.Uri]
        if ($null -eq $parsed -or -not $parsed.IsAbsoluteUri) {
            throw [System.ArgumentException]::new("-Uri '$Uri' is not an absolute URL.", 'Uri')
        }
        $query = @{}
        foreach ($pair in $parsed.Query.TrimStart('?').Split('&', [System.StringSplitOptions]::RemoveEmptyEntries)) {
            $name, $value = $pair.Split('=', 2)
            $query[[System.Uri]::UnescapeDataString($name)] = if ($null -ne $value) { [System.Uri]::UnescapeDataString($value) } else { '' }
        }
        @{ RelativeUri = $parsed.AbsolutePath; QueryParameters = $query }
    }
}

<#
.SYNOPSIS
A copy of -InputObject without its $null properties (nested objects too), as the official module sends bodies.
.PARAMETER InputObject
A PSCustomObject, a hashtable or an array.
.EXAMPLE
[pscustomobject]@{ a = 1; b = $null } | Remove-NullProperties
#>
function Remove-NullProperties {
    [CmdletBinding()]
    Param([Parameter(Mandatory, Position = 0, ValueFromPipeline)][AllowNull()][object]$InputObject)
    Process {
        if ($null -eq $InputObject) { return $null }
        if ($InputObject -is [System.Collections.IDictionary]) { return Remove-NullPropertiesFromHashMap $InputObject }
        if ($InputObject -is [array]) { return , (Remove-NullPropertiesFromArray $InputObject) }
        if ($InputObject -is [psobject] -and $InputObject.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
            $copy = [ordered]@{}
            foreach ($property in $InputObject.PSObject.Properties) {
                if ($null -ne $property.Value) { $copy[$property.Name] = Remove-NullProperties $property.Value }
            }
            return [pscustomobject]$copy
        }
        $InputObject
    }
}

<#
.SYNOPSIS
A copy of a hashtable without its $null values (nested too).
.PARAMETER InputObject
The hashtable.
.EXAMPLE
Remove-NullPropertiesFromHashMap @{ a = 1; b = $null }
#>
function Remove-NullPropertiesFromHashMap {
    [CmdletBinding()]
    Param([Parameter(Mandatory, Position = 0, ValueFromPipeline)][AllowNull()][System.Collections.IDictionary]$InputObject)
    Process {
        $copy = [ordered]@{}
        foreach ($key in $InputObject.Keys) {
            if ($null -ne $InputObject[$key]) { $copy[$key] = Remove-NullProperties $InputObject[$key] }
        }
        $copy
    }
}

<#
.SYNOPSIS
A copy of an array without its $null items (nested objects cleaned too).
.PARAMETER InputObject
The array.
.EXAMPLE
Remove-NullPropertiesFromArray @(1, $null, 2)
#>
function Remove-NullPropertiesFromArray {
    [CmdletBinding()]
    Param([Parameter(Mandatory, Position = 0, ValueFromPipeline)][AllowNull()][AllowEmptyCollection()][object[]]$InputObject)
    Process {
        , @(foreach ($item in $InputObject) { if ($null -ne $item) { Remove-NullProperties $item } })
    }
}
