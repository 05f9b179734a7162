# Shared by the Pester suites: the repository root, and importing the laid-out module as a user does.
# Simulators come from the module itself (Start-OktaSimulator / Stop-OktaSimulator).

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Get-RepositoryRoot { $script:RepositoryRoot }

function Import-OktaModule {
    # -Global: the suites call the module's commands from their own scope
    Import-Module (Join-Path $script:RepositoryRoot 'Okta.PowerShell.psd1') -Force -Global -ErrorAction Stop
}

Export-ModuleMember -Function Get-RepositoryRoot, Import-OktaModule
