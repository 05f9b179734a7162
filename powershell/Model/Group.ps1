# Request-body builders for groups (see Model/User.ps1 for the conventions).

<#
.SYNOPSIS
Builds a group profile object.
.DESCRIPTION
The profile of an OKTA_GROUP: its name and description.
.PARAMETER Description
The group description.
.PARAMETER Name
The group name.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaGroupProfile {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [String]$Description,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$Name
    )
    Process {
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ Description = 'description'; Name = 'name' }), $PSBoundParameters)
    }
}

<#
.SYNOPSIS
Builds the body of New-OktaGroup.
.DESCRIPTION
A group; only profile is needed to create one (the other properties are read-only and come back from Okta).
.PARAMETER Created
Read-only: when the group was created.
.PARAMETER Id
Read-only: the group id.
.PARAMETER LastMembershipUpdated
Read-only: when membership last changed.
.PARAMETER LastUpdated
Read-only: when the profile last changed.
.PARAMETER ObjectClass
Read-only: the object classes.
.PARAMETER VarProfile
The profile, e.g. from Initialize-OktaGroupProfile.
.PARAMETER Type
Read-only: the group type.
.PARAMETER Embedded
Read-only: embedded resources.
.PARAMETER Links
Read-only: links.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaGroup {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[System.DateTime]]$Created,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$Id,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[System.DateTime]]$LastMembershipUpdated,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[System.DateTime]]$LastUpdated,
        [Parameter(Position = 4, ValueFromPipelineByPropertyName = $true)]
        [String[]]$ObjectClass,
        [Parameter(Position = 5, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$VarProfile,
        [Parameter(Position = 6, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Type,
        [Parameter(Position = 7, ValueFromPipelineByPropertyName = $true)]
        [System.Collections.Hashtable]$Embedded,
        [Parameter(Position = 8, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Links
    )
    Process {
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ Created = 'created'; Id = 'id'; LastMembershipUpdated = 'lastMembershipUpdated'; LastUpdated = 'lastUpdated'; ObjectClass = 'objectClass'; VarProfile = 'profile'; Type = 'type'; Embedded = '_embedded'; Links = '_links' }), $PSBoundParameters)
    }
}
