# User operations. Each function only declares its parameters and hands the operation, as data,
# to Invoke-OktaOperation. (Shape kept generator-friendly: the command generator emits this form.)

<#
.SYNOPSIS
Gets a user by id, login, or login short name.
.DESCRIPTION
GET /api/v1/users/{userId} — scope okta.users.read.
.PARAMETER UserId
The user's id (00u...), login (ada@example.com) or login short name.
.PARAMETER Uri
A full request URI to call instead (as given by a previous response).
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri instead of the user.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Get-OktaUser -UserId ada@example.com
#>
function Get-OktaUser {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$UserId,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/users/{userId}' -PathParameters @{ userId = 'UserId' } -Bound $PSBoundParameters -ReturnType User
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Creates a user.
.DESCRIPTION
POST /api/v1/users — scope okta.users.manage. Without a password the user is PROVISIONED (or STAGED
with -Activate $false); with credentials.password it is ACTIVE.
.PARAMETER Body
The new user: Initialize-OktaCreateUserRequest output or a PSCustomObject with profile, credentials, groupIds, type.
.PARAMETER Activate
Activates the user on creation (default $true on the server).
.PARAMETER Provider
Creates the user with a federated or social provider instead of an Okta password.
.PARAMETER NextLogin
With "changePassword": the user must change the password at the next sign-in.
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of the body instead of dropping them.
.EXAMPLE
$p = Initialize-OktaUserProfile -FirstName Ada -LastName Lovelace -Email ada@example.com -Login ada@example.com
New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $p)
#>
function New-OktaUser {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Body,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Boolean]]$Activate,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Boolean]]$Provider,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$NextLogin,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method POST -Path '/api/v1/users' -QueryParameters ([ordered]@{ activate = 'Activate'; provider = 'Provider'; nextLogin = 'NextLogin' }) -BodyParameter Body -Bound $PSBoundParameters -ReturnType User
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Replaces a user's profile and credentials.
.DESCRIPTION
PUT /api/v1/users/{userId} — scope okta.users.manage. Profile properties that are not sent are removed;
use Invoke-OktaPartialUpdateUser to change only some.
.PARAMETER UserId
The user's id or login.
.PARAMETER User
The replacement: Initialize-OktaUpdateUserRequest output or a PSCustomObject with profile and credentials.
.PARAMETER Strict
Validates the password against the password policy (history, age).
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of the body instead of dropping them.
.EXAMPLE
$user = Get-OktaUser ada@example.com; $user.profile.lastName = 'King'
Update-OktaUser -UserId $user.id -User (Initialize-OktaUpdateUserRequest -VarProfile $user.profile)
#>
function Update-OktaUser {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$UserId,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$User,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Boolean]]$Strict,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method PUT -Path '/api/v1/users/{userId}' -PathParameters @{ userId = 'UserId' } -QueryParameters @{ strict = 'Strict' } -BodyParameter User -Bound $PSBoundParameters -ReturnType User
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Updates some of a user's profile properties, keeping the others.
.DESCRIPTION
POST /api/v1/users/{userId} — scope okta.users.manage.
.PARAMETER UserId
The user's id or login.
.PARAMETER User
The properties to change, e.g. @{ profile = @{ title = 'Engineer' } }.
.PARAMETER Strict
Validates the password against the password policy (history, age).
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of the body instead of dropping them.
.EXAMPLE
Invoke-OktaPartialUpdateUser -UserId ada@example.com -User @{ profile = @{ title = 'Analyst' } }
#>
function Invoke-OktaPartialUpdateUser {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$UserId,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$User,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Boolean]]$Strict,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method POST -Path '/api/v1/users/{userId}' -PathParameters @{ userId = 'UserId' } -QueryParameters @{ strict = 'Strict' } -BodyParameter User -Bound $PSBoundParameters -ReturnType User
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Lists users, optionally matching a search, filter or q expression.
.DESCRIPTION
GET /api/v1/users — scope okta.users.read. Returns one page (up to -Limit, 200 by default); use
-WithHttpInfo and follow NextPageUri with -Uri for the next pages. Expressions are encoded for you:
pass them as you would write them.
.PARAMETER Q
Finds users whose first name, last name or email starts with this text.
.PARAMETER After
The paging cursor from a previous page.
.PARAMETER Limit
Users per page (at most 200).
.PARAMETER Filter
A filter expression, e.g. 'status eq "ACTIVE"'.
.PARAMETER Search
A search expression, e.g. 'profile.lastName eq "Lovelace"'.
.PARAMETER SortBy
The property to sort search results by.
.PARAMETER SortOrder
asc or desc.
.PARAMETER Uri
A full request URI to call instead, such as a NextPageUri.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Invoke-OktaListUsers -Search 'profile.lastName eq "Lovelace"' | Format-Table id, status, @{ n = 'login'; e = { $_.profile.login } }
.EXAMPLE
$r = Invoke-OktaListUsers -Limit 100 -WithHttpInfo
while ($r.NextPageUri) { $r = Invoke-OktaListUsers -Uri $r.NextPageUri -WithHttpInfo }
#>
function Invoke-OktaListUsers {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$Q,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$After,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Int32]]$Limit,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [String]$Filter,
        [Parameter(Position = 4, ValueFromPipelineByPropertyName = $true)]
        [String]$Search,
        [Parameter(Position = 5, ValueFromPipelineByPropertyName = $true)]
        [String]$SortBy,
        [Parameter(Position = 6, ValueFromPipelineByPropertyName = $true)]
        [String]$SortOrder,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/users' -QueryParameters ([ordered]@{ q = 'Q'; after = 'After'; limit = 'Limit'; filter = 'Filter'; search = 'Search'; sortBy = 'SortBy'; sortOrder = 'SortOrder' }) -Bound $PSBoundParameters -ReturnType 'User[]'
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Deactivates a user, or deletes a user that is already deactivated.
.DESCRIPTION
DELETE /api/v1/users/{userId} — scope okta.users.manage. The first call on an active user deactivates it
(DEPROVISIONED); a second call deletes it for good. Destructive: asks for confirmation unless -Confirm:$false,
and -WhatIf shows what would happen without sending anything.
.PARAMETER UserId
The user's id or login.
.PARAMETER SendEmail
Emails the admin about the deactivation.
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Invoke-OktaDeactivateOrDeleteUser -UserId ada@example.com -Confirm:$false   # deactivate
Invoke-OktaDeactivateOrDeleteUser -UserId ada@example.com -Confirm:$false   # delete
#>
function Invoke-OktaDeactivateOrDeleteUser {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$UserId,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Boolean]]$SendEmail,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        if (-not $PSCmdlet.ShouldProcess("user $UserId$Uri", 'Deactivate, or delete if already deactivated')) { return }
        try {
            Invoke-OktaOperation -Method DELETE -Path '/api/v1/users/{userId}' -PathParameters @{ userId = 'UserId' } -QueryParameters @{ sendEmail = 'SendEmail' } -Bound $PSBoundParameters
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}
