# Shared by the Pester suites: the repository root, and importing the laid-out module as a user does.
# Simulators come from the module itself (Start-OktaSimulator / Stop-OktaSimulator).

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Get-RepositoryRoot { $script:RepositoryRoot }

function Get-StagedManifest {
    # What a user installs: Build.ps1 stages the module under out/Okta.PowerShell/<version>/.
    $version = (Import-PowerShellDataFile (Join-Path $script:RepositoryRoot 'Okta.PowerShell.psd1')).ModuleVersion
    $staged = Join-Path $script:RepositoryRoot "out/Okta.PowerShell/$version/Okta.PowerShell.psd1"
    if (-not (Test-Path $staged)) { throw "The staged module is missing ($staged): run ./Build.ps1 first." }
    $staged
}

function Import-OktaModule {
    # The staged module, as a user gets it; -Global: the suites call its commands from their own scope
    Import-Module (Get-StagedManifest) -Force -Global -ErrorAction Stop
}

function Get-HandWrittenCommandName {
    # The public commands written by hand (not generated from the API facts): those powershell/Help/client-commands.json
    # documents. Build.ps1 fails when that list and the assembly's hand-written cmdlets differ.
    $texts = Get-Content (Join-Path $script:RepositoryRoot 'powershell/Help/client-commands.json') -Raw | ConvertFrom-Json -AsHashtable
    @($texts.commands.Keys)
}

function Start-CannedServer {
    # A loopback HTTP server (a thread job) that answers each connection with the next of -Responses (raw
    # HTTP/1.1 text, sent as written), then stops: for answers okta-sim never gives (a front end's bare 404,
    # a proxy's HTML page). Bounded: it serves at most -Responses.Count connections and gives up after 60 s.
    param([Parameter(Mandatory)][string[]]$Responses)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $job = Start-ThreadJob -ArgumentList $listener, $Responses -ScriptBlock {
        param($listener, $responses)
        try {
            foreach ($response in $responses) {
                $accept = $listener.AcceptTcpClientAsync()
                if (-not $accept.Wait(60000)) { break }
                $client = $accept.Result
                $stream = $client.GetStream()
                $buffer = [byte[]]::new(65536)
                $request = ''
                while ($request -notmatch "`r`n`r`n") {
                    $read = $stream.Read($buffer, 0, $buffer.Length)
                    if ($read -le 0) { break }
                    $request += [System.Text.Encoding]::ASCII.GetString($buffer, 0, $read)
                }
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($response)
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush()
                $client.Close()
            }
        } finally { $listener.Stop() }
    }
    [pscustomobject]@{ Url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; Job = $job }
}

function New-RawResponse {
    # One raw HTTP/1.1 answer with a correct Content-Length; -ContentType '' sends none.
    param([int]$Status, [string]$Reason = 'X', [string]$Body = '', [string]$ContentType = 'application/json')
    $length = [System.Text.Encoding]::UTF8.GetByteCount($Body)
    $type = if ($ContentType) { "Content-Type: $ContentType`r`n" } else { '' }
    "HTTP/1.1 $Status $Reason`r`n${type}Content-Length: $length`r`nConnection: close`r`n`r`n$Body"
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-StagedManifest, Import-OktaModule, Get-HandWrittenCommandName, Start-CannedServer, New-RawResponse
