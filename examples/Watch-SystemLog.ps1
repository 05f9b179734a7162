<#
.SYNOPSIS
    Tails the Okta System Log for one or more event types and writes each matching event as it arrives.

.DESCRIPTION
    Without -TimeoutSeconds, uses Get-OktaLogs -Follow: the events since -Since first, then every new one as the
    log is polled every -PollInterval seconds, until -Count events were written or Ctrl+C.
    With -TimeoutSeconds (for scheduled jobs and tests), the script polls Get-OktaLogs itself and stops at the
    deadline even when no event comes (-Follow alone waits for the next event; it has no deadline of its own).
    Each event is written to the pipeline as the module's LogEvent object (eventType, published, actor, target,
    outcome, displayMessage, ...); a one-line summary goes to the verbose stream.
    The org is the session's configuration (Set-OktaConfiguration, or Start-OktaSimulator -Configure).

.PARAMETER EventType
    The event types to watch, e.g. user.lifecycle.create, user.session.start, group.user_membership.add.

.PARAMETER Since
    Start of the window (default: now, i.e. only new events). Events already in the log after this time come first.

.PARAMETER Count
    Stop after this many events (0: no limit).

.PARAMETER TimeoutSeconds
    Stop after this many seconds even if fewer than -Count events came (0: no timeout).

.PARAMETER PollInterval
    Seconds between two looks at the log.

.EXAMPLE
    ./examples/Watch-SystemLog.ps1 -EventType user.session.start -Verbose

    Prints every sign-in as it happens, until Ctrl+C.

.EXAMPLE
    ./examples/Watch-SystemLog.ps1 -EventType user.lifecycle.create, user.lifecycle.deactivate -Since (Get-Date).AddHours(-1) -TimeoutSeconds 60 |
        Select-Object published, eventType, @{ n = 'user'; e = { $_.target[0].alternateId } }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string[]]$EventType,
    [datetime]$Since = (Get-Date),
    [ValidateRange(0, [int]::MaxValue)][int]$Count = 0,
    [ValidateRange(0, 86400)][int]$TimeoutSeconds = 0,
    [ValidateRange(1, 3600)][int]$PollInterval = 5
)

$ErrorActionPreference = 'Stop'
if (-not (Get-OktaConfiguration).BaseUrl) {
    throw 'No Okta org configured: run Set-OktaConfiguration (or Start-OktaSimulator -Configure) first.'
}

# eventType eq "a" or eventType eq "b"
$filter = ($EventType | ForEach-Object { "eventType eq `"$_`"" }) -join ' or '
$sinceUtc = $Since.ToUniversalTime()

function Write-Event($logEvent) {
    Write-Verbose ("{0:u} {1} {2}" -f $logEvent.published, $logEvent.eventType, $logEvent.displayMessage)
    $logEvent
}

if ($TimeoutSeconds -eq 0) {
    # One pipeline, never a variable: -Follow does not end by itself. Select-Object -First ends it (and its
    # request in flight) as soon as enough events came.
    $first = if ($Count -gt 0) { $Count } else { [int]::MaxValue }
    Get-OktaLogs -Follow -PollInterval $PollInterval -Since $sinceUtc -Filter $filter |
        Select-Object -First $first |
        ForEach-Object { Write-Event $_ }
    return
}

# Polling with a deadline: ask for the events since the newest one seen, skip the ones already written
# (the since bound is inclusive), sleep, again.
$deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
$seen = [System.Collections.Generic.HashSet[string]]::new()
$cursor = $sinceUtc
$written = 0
while ($true) {
    foreach ($logEvent in @(Get-OktaLogs -Since $cursor -Filter $filter -SortOrder ASCENDING -Limit 1000)) {
        if (-not $seen.Add([string]$logEvent.uuid)) { continue }
        if ($logEvent.published -and ([datetime]$logEvent.published).ToUniversalTime() -gt $cursor) { $cursor = ([datetime]$logEvent.published).ToUniversalTime() }
        Write-Event $logEvent
        $written++
        if ($Count -gt 0 -and $written -ge $Count) { return }
    }
    $left = ($deadline - [DateTime]::UtcNow).TotalSeconds
    if ($left -le 0) { break }
    Start-Sleep -Milliseconds ([int](1000 * [Math]::Min($PollInterval, $left)))
}
Write-Verbose "Timeout after $TimeoutSeconds s: $written event(s)"
