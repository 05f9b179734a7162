# Group operations (same shape as Api/User.ps1: parameters, then the operation as data).

<#
.SYNOPSIS
Creates a group.
.DESCRIPTION
POST /api/v1/groups — scope okta.groups.manage. The new group is an OKTA_GROUP.
.PARAMETER Group
The group: Initialize-OktaGroup output or a PSCustomObject with profile.name and profile.description.
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of the body instead of dropping them.
.EXAMPLE
New-OktaGroup -Group (Initialize-OktaGroup -VarProfile (Initialize-OktaGroupProfile -Name 'West Coast users' -Description 'All users West of the Rockies'))
#>
function New-OktaGroup {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Group,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method POST -Path '/api/v1/groups' -BodyParameter Group -Bound $PSBoundParameters -ReturnType Group
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Gets a group by id.
.DESCRIPTION
GET /api/v1/groups/{groupId} — scope okta.groups.read.
.PARAMETER GroupId
The group's id (00g...).
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Get-OktaGroup -GroupId 00g1emaKYZTWRYYRRTSK
#>
function Get-OktaGroup {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$GroupId,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/groups/{groupId}' -PathParameters @{ groupId = 'GroupId' } -Bound $PSBoundParameters -ReturnType Group
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Lists groups, optionally matching a search, filter or q expression.
.DESCRIPTION
GET /api/v1/groups — scope okta.groups.read. Returns one page; follow NextPageUri (with -WithHttpInfo) through -Uri.
.PARAMETER Q
Finds groups whose name starts with this text.
.PARAMETER Filter
A filter expression, e.g. 'type eq "OKTA_GROUP"'.
.PARAMETER After
The paging cursor from a previous page.
.PARAMETER Limit
Groups per page.
.PARAMETER Expand
Embeds extra data (stats, app).
.PARAMETER Search
A search expression, e.g. 'profile.name sw "Test"'.
.PARAMETER Uri
A full request URI to call instead, such as a NextPageUri.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Invoke-OktaListGroups -Search 'profile.name eq "IAM Team"'
#>
function Invoke-OktaListGroups {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$Q,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$Filter,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [String]$After,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Int32]]$Limit,
        [Parameter(Position = 4, ValueFromPipelineByPropertyName = $true)]
        [String]$Expand,
        [Parameter(Position = 5, ValueFromPipelineByPropertyName = $true)]
        [String]$Search,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/groups' -QueryParameters ([ordered]@{ q = 'Q'; filter = 'Filter'; after = 'After'; limit = 'Limit'; expand = 'Expand'; search = 'Search' }) -Bound $PSBoundParameters -ReturnType 'Group[]'
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Adds a user to a group.
.DESCRIPTION
PUT /api/v1/groups/{groupId}/users/{userId} — scope okta.groups.manage. Returns nothing.
.PARAMETER GroupId
The group's id.
.PARAMETER UserId
The user's id.
.PARAMETER Uri
A full request URI to call instead.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Add-OktaUserToGroup -GroupId $group.id -UserId $user.id
#>
function Add-OktaUserToGroup {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$GroupId,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$UserId,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method PUT -Path '/api/v1/groups/{groupId}/users/{userId}' -PathParameters ([ordered]@{ groupId = 'GroupId'; userId = 'UserId' }) -Bound $PSBoundParameters
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}

<#
.SYNOPSIS
Lists the members of a group.
.DESCRIPTION
GET /api/v1/groups/{groupId}/users — scope okta.groups.read. Returns one page.
.PARAMETER GroupId
The group's id.
.PARAMETER After
The paging cursor from a previous page.
.PARAMETER Limit
Users per page.
.PARAMETER Uri
A full request URI to call instead, such as a NextPageUri.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
(Invoke-OktaListGroupUsers -GroupId $group.id).profile | Select-Object firstName, lastName, login | Format-Table
#>
function Invoke-OktaListGroupUsers {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$GroupId,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$After,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Int32]]$Limit,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/groups/{groupId}/users' -PathParameters @{ groupId = 'GroupId' } -QueryParameters ([ordered]@{ after = 'After'; limit = 'Limit' }) -Bound $PSBoundParameters -ReturnType 'User[]'
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}
