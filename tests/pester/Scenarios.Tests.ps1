# The main areas of an org as an admin scripts them — apps, authorization servers, policies, hooks, zones,
# factors, roles, schemas — with the Initialize-Okta* builders and the official command names, against okta-sim.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -Seed 3 -Configure
    $profile = Initialize-OktaUserProfile -FirstName Ada -LastName Admin -Email ada.admin@example.com -Login ada.admin@example.com
    $credentials = Initialize-OktaUserCredentials -Password 'Str0ng-Passw0rd!'
    $script:ada = New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile -Credentials $credentials)
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Applications' {
    It 'creates a bookmark app from a builder, assigns a user, deactivates and deletes it' {
        $settings = [pscustomobject]@{ app = [pscustomobject]@{ requestIntegration = $false; url = 'https://wiki.example.com' } }
        $app = Initialize-OktaBookmarkApplication -Label 'Wiki' -SignOnMode BOOKMARK -Name bookmark -Settings $settings
        $created = New-OktaApplication -Application $app
        $created.id | Should -Not -BeNullOrEmpty
        $created.status | Should -Be 'ACTIVE'
        $created.PSObject.TypeNames | Should -Contain 'Okta.PowerShell.BookmarkApplication'
        $created.PSObject.TypeNames | Should -Contain 'Okta.PowerShell.Application'

        $assignment = Set-OktaUserToApplication -AppId $created.id -AppUser @{ id = $ada.id }
        $assignment.id | Should -Be $ada.id
        (Invoke-OktaListApplicationUsers -AppId $created.id).id | Should -Contain $ada.id

        Invoke-OktaDeactivateApplication -AppId $created.id
        (Get-OktaApplication -AppId $created.id).status | Should -Be 'INACTIVE'
        Invoke-OktaDeleteApplication -AppId $created.id
        { Get-OktaApplication -AppId $created.id } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
    }
}

Describe 'Authorization servers' {
    It 'creates a server with a scope and a claim' {
        $server = New-OktaAuthorizationServer -AuthorizationServer (Initialize-OktaAuthorizationServer -Name 'Reports API' -Audiences 'api://reports' -Description 'Reports')
        $server.id | Should -Not -BeNullOrEmpty
        $scope = New-OktaOAuth2Scope -AuthServerId $server.id -OAuth2Scope (Initialize-OktaOAuth2Scope -Name 'reports:read' -Consent IMPLICIT)
        $scope.name | Should -Be 'reports:read'
        $claim = New-OktaOAuth2Claim -AuthServerId $server.id -OAuth2Claim (Initialize-OktaOAuth2Claim -Name 'dept' -ClaimType RESOURCE -ValueType EXPRESSION -Value 'user.department')
        $claim.name | Should -Be 'dept'
        (Invoke-OktaListOAuth2Scopes -AuthServerId $server.id).name | Should -Contain 'reports:read'
        (Invoke-OktaListAuthorizationServers).name | Should -Contain 'default'   # every org has it
    }
}

Describe 'Policies' {
    It 'lists policies by type and adds a rule to a new sign-on policy' {
        $signOn = Invoke-OktaListPolicies -Type OKTA_SIGN_ON
        $signOn | Should -Not -BeNullOrEmpty
        $signOn.type | Select-Object -Unique | Should -Be 'OKTA_SIGN_ON'
        $policy = New-OktaPolicy -Policy @{ type = 'OKTA_SIGN_ON'; name = 'Contractors'; description = 'Contractor sign-on' }
        $policy.status | Should -Be 'ACTIVE'
        $rule = New-OktaPolicyRule -PolicyId $policy.id -PolicyRule @{ name = 'Require MFA'; type = 'SIGN_ON' }
        $rule.name | Should -Be 'Require MFA'
        (Invoke-OktaListPolicyRules -PolicyId $policy.id).name | Should -Contain 'Require MFA'
    }
}

Describe 'Hooks' {
    It 'creates an event hook and an inline hook' {
        $channel = @{ type = 'HTTP'; version = '1.0.0'; config = @{ uri = 'https://hooks.example.com/okta'; headers = @(); authScheme = $null } }
        $eventHook = New-OktaEventHook -EventHook @{ name = 'User events'; events = @{ type = 'EVENT_TYPE'; items = @('user.lifecycle.create') }; channel = $channel }
        $eventHook.name | Should -Be 'User events'
        $eventHook.PSObject.TypeNames[0] | Should -Be 'Okta.PowerShell.EventHook'
        $inline = New-OktaInlineHook -InlineHook @{ name = 'Token hook'; type = 'com.okta.oauth2.tokens.transform'; version = '1.0.0'; channel = $channel }
        $inline.name | Should -Be 'Token hook'
        (Invoke-OktaListInlineHooks -Type com.okta.oauth2.tokens.transform).name | Should -Contain 'Token hook'
    }
}

Describe 'Network zones' {
    It 'creates an IP zone, lists it and deactivates it' {
        $zone = New-OktaNetworkZone -Zone @{ type = 'IP'; name = 'Office'; gateways = @(@{ type = 'CIDR'; value = '203.0.113.0/24' }) }
        $zone.name | Should -Be 'Office'
        (Invoke-OktaListNetworkZones).name | Should -Contain 'Office'
        (Invoke-OktaDeactivateNetworkZone -ZoneId $zone.id).status | Should -Be 'INACTIVE'
    }
}

Describe 'Factors' {
    It 'shows the catalog and enrolls SMS as PENDING_ACTIVATION' {
        (Invoke-OktaListSupportedFactors -UserId $ada.id).factorType | Should -Contain 'sms'
        $factor = Invoke-OktaEnrollFactor -UserId $ada.id -Body @{ factorType = 'sms'; provider = 'OKTA'; profile = @{ phoneNumber = '+1-555-415-1337' } }
        $factor.status | Should -Be 'PENDING_ACTIVATION'
        (Invoke-OktaListFactors -UserId $ada.id).id | Should -Contain $factor.id
    }
}

Describe 'Admin roles' {
    It 'assigns a role to a user and lists it' {
        $null = Set-OktaRoleToUser -UserId $ada.id -AssignRoleRequest @{ type = 'HELP_DESK_ADMIN' }
        (Invoke-OktaListAssignedRolesForUser -UserId $ada.id).type | Should -Contain 'HELP_DESK_ADMIN'
    }
}

Describe 'Schemas' {
    It 'reads the default user schema and adds a custom property, keeping the base ones' {
        $schema = Get-OktaUserSchema -SchemaId default
        $schema.definitions.base.properties.login | Should -Not -BeNullOrEmpty
        $custom = @{ definitions = @{ custom = @{ id = '#custom'; type = 'object'; properties = @{ costCenter = @{ title = 'Cost center'; type = 'string' } } } } }
        $updated = Update-OktaUserProfile -SchemaId default -UserSchema $custom
        $updated.definitions.custom.properties.costCenter.title | Should -Be 'Cost center'
        $updated.definitions.base.properties.login | Should -Not -BeNullOrEmpty
        (Get-OktaGroupSchema).definitions.base.properties.name | Should -Not -BeNullOrEmpty
    }
}

Describe 'Group rules and the org' {
    It 'creates a group rule INACTIVE, activates it, and reads the org' {
        $group = New-OktaGroup -Group @{ profile = @{ name = 'Rule Engineers' } }
        $rule = New-OktaGroupRule -GroupRule @{
            type       = 'group_rule'
            name       = 'Engineers'
            conditions = @{ expression = @{ type = 'urn:okta:expression:1.0'; value = 'user.department=="Engineering"' } }
            actions    = @{ assignUserToGroups = @{ groupIds = @($group.id) } }
        }
        $rule.status | Should -Be 'INACTIVE'
        Invoke-OktaActivateGroupRule -RuleId $rule.id
        (Invoke-OktaListGroupRules).Where({ $_.id -eq $rule.id }).status | Should -Be 'ACTIVE'
        (Get-OktaOrgSettings).subdomain | Should -Not -BeNullOrEmpty
    }
}
