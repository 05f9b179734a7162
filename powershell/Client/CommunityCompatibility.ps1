# The two commands of the community module OktaAPI that the seeds' bulk-creation script uses, so that script
# runs unchanged. Only names the official module does not use, with the same shape as in OktaAPI.

<#
.SYNOPSIS
Connects to an org with an API token, as the community module OktaAPI does (Connect-Okta <token> <base URL>).
.DESCRIPTION
The same as Set-OktaConfiguration -BaseUrl <base URL> -ApiKey @{ apitoken = <token> }.
.PARAMETER Token
The API token (sent as SSWS; never shown).
.PARAMETER BaseUrl
The org URL, e.g. https://tenant.okta.com.
.EXAMPLE
Connect-Okta $env:OKTA_API_TOKEN 'https://tenant.okta.com'
#>
function Connect-Okta {
    [CmdletBinding()]
    Param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Token,
        [Parameter(Mandatory = $true, Position = 1)][string]$BaseUrl
    )
    Set-OktaConfiguration -BaseUrl $BaseUrl -ApiKey @{ apitoken = $Token }
}

# OktaAPI's Add-OktaGroupMember <groupId> <userId> is the official Add-OktaUserToGroup, same positions.
Set-Alias -Name Add-OktaGroupMember -Value Add-OktaUserToGroup
