# One streaming run in a fresh pwsh (scenario 5): lists every user page by page, counting them, and samples the
# working set every -SampleEvery users. Prints one JSON line: { count, ms, memory: [{ users, mib }] }.
param(
    [Parameter(Mandatory)][ValidateSet('ours', 'irm', 'official')][string]$Client,
    [Parameter(Mandatory)][string]$Url,
    [Parameter(Mandatory)][string]$Token,
    [Parameter(Mandatory)][int]$SampleEvery,
    [string]$Module,
    [int]$Limit = 200,
    # Also record the managed heap (GC.GetTotalMemory) beside the working set, and the heap after a full
    # collection at the end: tells a leak (the heap grows) from a lazy collector (only the working set does).
    [switch]$Heap
)
$ErrorActionPreference = 'Stop'
$memory = [System.Collections.Generic.List[object]]::new()
$script:n = 0
$sample = { $script:n++; if ($script:n % $SampleEvery -eq 0) { $memory.Add([pscustomobject]@{ users = $script:n; mib = [math]::Round([Environment]::WorkingSet / 1MB, 1); heapMiB = if ($Heap) { [math]::Round([GC]::GetTotalMemory($false) / 1MB, 1) } }) } }
switch ($Client) {
    'ours' { Import-Module $Module; Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = $Token } }
    'official' { Import-Module $Module; Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = $Token } | Out-Null }
}
$memory.Add([pscustomobject]@{ users = 0; mib = [math]::Round([Environment]::WorkingSet / 1MB, 1) })
$w = [Diagnostics.Stopwatch]::StartNew()
switch ($Client) {
    'ours' { Invoke-OktaListUsers -All -Limit $Limit | ForEach-Object $sample }
    'irm' {
        $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
        Invoke-RestMethod -Uri "$Url/api/v1/users?limit=$Limit" -Headers @{ Authorization = "SSWS $Token" } -WebSession $session `
            -FollowRelLink -MaximumFollowRelLink ([int]::MaxValue) -PreserveAuthorizationOnRedirect | ForEach-Object { foreach ($user in $_) { & $sample } }   # one array per page
    }
    'official' {
        # The official module cannot stream: its documented loop, one page at a time.
        $r = Invoke-OktaListUsers -Limit $Limit -WithHttpInfo
        $r.Response | ForEach-Object $sample
        while ($r.NextPageUri) { $r = Invoke-OktaListUsers -Uri $r.NextPageUri -WithHttpInfo; $r.Response | ForEach-Object $sample }
    }
}
$ms = $w.Elapsed.TotalMilliseconds
$after = if ($Heap) { [pscustomobject]@{ heapAfterFullGcMiB = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1); gen2 = [GC]::CollectionCount(2); serverGC = [Runtime.GCSettings]::IsServerGC; workingSetMiB = [math]::Round([Environment]::WorkingSet / 1MB, 1) } }
[pscustomobject]@{ count = $script:n; ms = $ms; memory = $memory; end = $after } | ConvertTo-Json -Compress -Depth 4
