@{
    # Every command is compiled (Build.ps1 lays it out under bin/): the glue assembly with the API commands and
    # the hand-written ones, the model builders' assembly, and under runtimes/<rid>/native the Rust core.
    # No script module: its parse at import cost more than all compiled commands together.
    RootModule           = 'bin/Okta.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c8a52-3f7e-4c7e-9a41-2d5b8e0f1c93'
    Author               = 'Okta.PowerShell contributors'
    CompanyName          = 'Okta.PowerShell contributors'
    Copyright            = '(c) Okta.PowerShell contributors. Apache-2.0.'
    Description          = 'Manage an Okta org (users, groups, apps, policies, logs, hooks) from PowerShell, with a fast Rust HTTP core. Drop-in compatible with the official Okta.PowerShell 2.x command names.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @('bin/Okta.PowerShell.Models.dll')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Add-Okta*', 'Clear-Okta*', 'ConvertFrom-OktaJson', 'Copy-Okta*', 'Get-Okta*', 'Grant-Okta*', 'Hide-Okta*',
        'Initialize-Okta*', 'Invoke-Okta*', 'New-Okta*', 'Publish-Okta*', 'Remove-Okta*', 'Rename-Okta*',
        'Reset-Okta*', 'Resume-Okta*', 'Revoke-Okta*', 'Send-Okta*', 'Set-Okta*', 'Show-Okta*', 'Start-Okta*',
        'Stop-Okta*', 'Submit-Okta*', 'Suspend-Okta*', 'Test-Okta*', 'Unlock-Okta*', 'Update-Okta*',
        # hand-written: OktaAPI's connect, and official helpers whose names have no Okta noun
        'Connect-Okta', 'Use-OktaConfiguration', 'Invoke-ParseAbsoluteUri', 'Remove-NullProperties', 'Remove-NullPropertiesFromHashMap',
        'Remove-NullPropertiesFromArray'
    )
    # Aliases: every ConvertFrom-OktaJsonTo<Schema> (of ConvertFrom-OktaJson), and the current specification's
    # names of renamed operations (where they use an approved verb).
    AliasesToExport      = @('*-Okta*', 'ShouldRetry', 'CalculateDelay', 'AddRetryHeaders')
    # No FormatsToProcess: bin/Okta.PowerShell.format.ps1xml (default table views) loads with the first Okta object a
    # runspace writes (Commands/FormatDataLoader.cs); loading it here cost every import ~3.5 MiB and 30-70 ms.
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Okta', 'Identity', 'IAM', 'SSO', 'Management', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'See CHANGELOG.md in the module folder.'
        }
    }
}
