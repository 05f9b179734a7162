# Request-body builders for users. Every property is present (null when not given) so scripts can
# set it later ($o.profile = ...); nulls are dropped when the body is sent, unless -IncludeNullValues.

<#
.SYNOPSIS
Builds a user profile object.
.DESCRIPTION
The profile of a user: the standard Okta profile properties. Add custom attributes with Add-Member or use a PSCustomObject.
.PARAMETER City
Sets the "city" property.
.PARAMETER CostCenter
Sets the "costCenter" property.
.PARAMETER CountryCode
Sets the "countryCode" property.
.PARAMETER Department
Sets the "department" property.
.PARAMETER DisplayName
Sets the "displayName" property.
.PARAMETER Division
Sets the "division" property.
.PARAMETER Email
Sets the "email" property.
.PARAMETER EmployeeNumber
Sets the "employeeNumber" property.
.PARAMETER FirstName
Sets the "firstName" property.
.PARAMETER HonorificPrefix
Sets the "honorificPrefix" property.
.PARAMETER HonorificSuffix
Sets the "honorificSuffix" property.
.PARAMETER LastName
Sets the "lastName" property.
.PARAMETER Locale
Sets the "locale" property.
.PARAMETER Login
Sets the "login" property.
.PARAMETER Manager
Sets the "manager" property.
.PARAMETER ManagerId
Sets the "managerId" property.
.PARAMETER MiddleName
Sets the "middleName" property.
.PARAMETER MobilePhone
Sets the "mobilePhone" property.
.PARAMETER NickName
Sets the "nickName" property.
.PARAMETER Organization
Sets the "organization" property.
.PARAMETER PostalAddress
Sets the "postalAddress" property.
.PARAMETER PreferredLanguage
Sets the "preferredLanguage" property.
.PARAMETER PrimaryPhone
Sets the "primaryPhone" property.
.PARAMETER ProfileUrl
Sets the "profileUrl" property.
.PARAMETER SecondEmail
Sets the "secondEmail" property.
.PARAMETER State
Sets the "state" property.
.PARAMETER StreetAddress
Sets the "streetAddress" property.
.PARAMETER Timezone
Sets the "timezone" property.
.PARAMETER Title
Sets the "title" property.
.PARAMETER UserType
Sets the "userType" property.
.PARAMETER ZipCode
Sets the "zipCode" property.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaUserProfile {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [String]$City,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$CostCenter,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [String]$CountryCode,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [String]$Department,
        [Parameter(Position = 4, ValueFromPipelineByPropertyName = $true)]
        [String]$DisplayName,
        [Parameter(Position = 5, ValueFromPipelineByPropertyName = $true)]
        [String]$Division,
        [Parameter(Position = 6, ValueFromPipelineByPropertyName = $true)]
        [String]$Email,
        [Parameter(Position = 7, ValueFromPipelineByPropertyName = $true)]
        [String]$EmployeeNumber,
        [Parameter(Position = 8, ValueFromPipelineByPropertyName = $true)]
        [String]$FirstName,
        [Parameter(Position = 9, ValueFromPipelineByPropertyName = $true)]
        [String]$HonorificPrefix,
        [Parameter(Position = 10, ValueFromPipelineByPropertyName = $true)]
        [String]$HonorificSuffix,
        [Parameter(Position = 11, ValueFromPipelineByPropertyName = $true)]
        [String]$LastName,
        [Parameter(Position = 12, ValueFromPipelineByPropertyName = $true)]
        [String]$Locale,
        [Parameter(Position = 13, ValueFromPipelineByPropertyName = $true)]
        [String]$Login,
        [Parameter(Position = 14, ValueFromPipelineByPropertyName = $true)]
        [String]$Manager,
        [Parameter(Position = 15, ValueFromPipelineByPropertyName = $true)]
        [String]$ManagerId,
        [Parameter(Position = 16, ValueFromPipelineByPropertyName = $true)]
        [String]$MiddleName,
        [Parameter(Position = 17, ValueFromPipelineByPropertyName = $true)]
        [String]$MobilePhone,
        [Parameter(Position = 18, ValueFromPipelineByPropertyName = $true)]
        [String]$NickName,
        [Parameter(Position = 19, ValueFromPipelineByPropertyName = $true)]
        [String]$Organization,
        [Parameter(Position = 20, ValueFromPipelineByPropertyName = $true)]
        [String]$PostalAddress,
        [Parameter(Position = 21, ValueFromPipelineByPropertyName = $true)]
        [String]$PreferredLanguage,
        [Parameter(Position = 22, ValueFromPipelineByPropertyName = $true)]
        [String]$PrimaryPhone,
        [Parameter(Position = 23, ValueFromPipelineByPropertyName = $true)]
        [String]$ProfileUrl,
        [Parameter(Position = 24, ValueFromPipelineByPropertyName = $true)]
        [String]$SecondEmail,
        [Parameter(Position = 25, ValueFromPipelineByPropertyName = $true)]
        [String]$State,
        [Parameter(Position = 26, ValueFromPipelineByPropertyName = $true)]
        [String]$StreetAddress,
        [Parameter(Position = 27, ValueFromPipelineByPropertyName = $true)]
        [String]$Timezone,
        [Parameter(Position = 28, ValueFromPipelineByPropertyName = $true)]
        [String]$Title,
        [Parameter(Position = 29, ValueFromPipelineByPropertyName = $true)]
        [String]$UserType,
        [Parameter(Position = 30, ValueFromPipelineByPropertyName = $true)]
        [String]$ZipCode
    )
    Process {
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ City = 'city'; CostCenter = 'costCenter'; CountryCode = 'countryCode'; Department = 'department'; DisplayName = 'displayName'; Division = 'division'; Email = 'email'; EmployeeNumber = 'employeeNumber'; FirstName = 'firstName'; HonorificPrefix = 'honorificPrefix'; HonorificSuffix = 'honorificSuffix'; LastName = 'lastName'; Locale = 'locale'; Login = 'login'; Manager = 'manager'; ManagerId = 'managerId'; MiddleName = 'middleName'; MobilePhone = 'mobilePhone'; NickName = 'nickName'; Organization = 'organization'; PostalAddress = 'postalAddress'; PreferredLanguage = 'preferredLanguage'; PrimaryPhone = 'primaryPhone'; ProfileUrl = 'profileUrl'; SecondEmail = 'secondEmail'; State = 'state'; StreetAddress = 'streetAddress'; Timezone = 'timezone'; Title = 'title'; UserType = 'userType'; ZipCode = 'zipCode' }), $PSBoundParameters)
    }
}

<#
.SYNOPSIS
Builds a user credentials object.
.DESCRIPTION
Credentials for New-OktaUser or Update-OktaUser. -Password accepts a plain string (sent as { value = ... }) or a password object.
.PARAMETER Password
The password: a string, or an object such as @{ value = "..." } or a hashed password.
.PARAMETER Provider
The credential provider, e.g. @{ type = "OKTA"; name = "OKTA" }.
.PARAMETER RecoveryQuestion
The recovery question, as @{ question = "..."; answer = "..." }.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaUserCredentials {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Password,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Provider,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$RecoveryQuestion
    )
    Process {
        # The official module sent a bare string here, which Okta rejects; a string is the password value.
        if ($Password -is [string]) {
            $PSBoundParameters['Password'] = [PSCustomObject]@{ value = [string]$Password }
        }
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ Password = 'password'; Provider = 'provider'; RecoveryQuestion = 'recovery_question' }), $PSBoundParameters)
    }
}

<#
.SYNOPSIS
Builds the body of New-OktaUser.
.DESCRIPTION
A new user: profile (required), credentials, groupIds and type.
.PARAMETER Credentials
Credentials, e.g. from Initialize-OktaUserCredentials.
.PARAMETER GroupIds
Ids of the groups the user joins on creation.
.PARAMETER VarProfile
The profile, e.g. from Initialize-OktaUserProfile, a PSCustomObject or an Import-Csv row.
.PARAMETER Type
The user type, as @{ id = "oty..." }.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaCreateUserRequest {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Credentials,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String[]]$GroupIds,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$VarProfile,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Type
    )
    Process {
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ Credentials = 'credentials'; GroupIds = 'groupIds'; VarProfile = 'profile'; Type = 'type' }), $PSBoundParameters)
    }
}

<#
.SYNOPSIS
Builds the body of Update-OktaUser and Invoke-OktaPartialUpdateUser.
.DESCRIPTION
The profile and/or credentials to set.
.PARAMETER Credentials
Credentials, e.g. from Initialize-OktaUserCredentials.
.PARAMETER VarProfile
The profile to set.
.OUTPUTS
PSCustomObject
#>
function Initialize-OktaUpdateUserRequest {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$Credentials,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [PSCustomObject]$VarProfile
    )
    Process {
        [Okta.PowerShell.Models.ModelBuilder]::Build(([ordered]@{ Credentials = 'credentials'; VarProfile = 'profile' }), $PSBoundParameters)
    }
}
