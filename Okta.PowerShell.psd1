@{
    # Both halves are laid out by Build.ps1 under bin/: the script commands joined into one psm1 (from
    # powershell/Client, Api, Model) and the compiled glue with, beside it under runtimes/<rid>/native, the Rust core.
    RootModule           = 'bin/Okta.PowerShell.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c8a52-3f7e-4c7e-9a41-2d5b8e0f1c93'
    Author               = 'Okta.PowerShell contributors'
    CompanyName          = 'Okta.PowerShell contributors'
    Copyright            = '(c) Okta.PowerShell contributors. Apache-2.0.'
    Description          = 'Manage an Okta org (users, groups, apps, policies, logs, hooks) from PowerShell, with a fast Rust HTTP core. Drop-in compatible with the official Okta.PowerShell 2.x command names.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @('bin/Okta.PowerShell.dll')
    FunctionsToExport    = @(
        'Get-OktaConfiguration'
        'Set-OktaConfiguration'
        'Start-OktaSimulator'
        'Stop-OktaSimulator'
        'Get-OktaUser'
        'New-OktaUser'
        'Update-OktaUser'
        'Invoke-OktaPartialUpdateUser'
        'Invoke-OktaListUsers'
        'Invoke-OktaDeactivateOrDeleteUser'
        'New-OktaGroup'
        'Get-OktaGroup'
        'Invoke-OktaListGroups'
        'Add-OktaUserToGroup'
        'Invoke-OktaListGroupUsers'
        'Get-OktaLogs'
        'Initialize-OktaUserProfile'
        'Initialize-OktaUserCredentials'
        'Initialize-OktaCreateUserRequest'
        'Initialize-OktaUpdateUserRequest'
        'Initialize-OktaGroupProfile'
        'Initialize-OktaGroup'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Okta', 'Identity', 'IAM', 'SSO', 'Management', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
