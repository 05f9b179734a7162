# System Log operations.

<#
.SYNOPSIS
Reads System Log events.
.DESCRIPTION
GET /api/v1/logs — scope okta.logs.read. Every page has a NextPageUri, even the last: a polling script keeps
following it; an empty page means it has caught up.
.PARAMETER Since
Events at or after this time, ISO 8601 (e.g. (Get-Date).AddDays(-1).ToString('yyyy-MM-ddTHH:mm:ssZ')).
.PARAMETER Until
Events before this time, ISO 8601.
.PARAMETER After
The paging cursor from a previous page.
.PARAMETER Filter
A filter expression, e.g. 'eventType eq "user.lifecycle.create"'.
.PARAMETER Q
Keywords to look for in the events.
.PARAMETER Limit
Events per page (100 by default).
.PARAMETER SortOrder
ASCENDING (default) or DESCENDING.
.PARAMETER Uri
A full request URI to call instead, such as a NextPageUri.
.PARAMETER WithHttpInfo
Returns a hashtable with Response, StatusCode, Headers and NextPageUri.
.PARAMETER IncludeNullValues
Sends null properties of a request body instead of dropping them.
.EXAMPLE
Get-OktaLogs -Since (Get-Date).AddMonths(-6).ToString('yyyy-MM-ddTHH:mm:ssZ') -Filter 'eventType eq "user.lifecycle.create"'
#>
function Get-OktaLogs {
    [CmdletBinding()]
    Param(
        [Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [String]$Since,
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = $true)]
        [String]$Until,
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = $true)]
        [String]$After,
        [Parameter(Position = 3, ValueFromPipelineByPropertyName = $true)]
        [String]$Filter,
        [Parameter(Position = 4, ValueFromPipelineByPropertyName = $true)]
        [String]$Q,
        [Parameter(Position = 5, ValueFromPipelineByPropertyName = $true)]
        [System.Nullable[Int32]]$Limit,
        [Parameter(Position = 6, ValueFromPipelineByPropertyName = $true)]
        [String]$SortOrder,
        [Parameter(ValueFromPipelineByPropertyName = $true)]
        [String]$Uri,
        [Switch]$WithHttpInfo,
        [Switch]$IncludeNullValues
    )
    Process {
        try {
            Invoke-OktaOperation -Method GET -Path '/api/v1/logs' -QueryParameters ([ordered]@{ since = 'Since'; until = 'Until'; after = 'After'; filter = 'Filter'; q = 'Q'; limit = 'Limit'; sortOrder = 'SortOrder' }) -Bound $PSBoundParameters -ReturnType 'LogEvent[]'
        } catch { $PSCmdlet.ThrowTerminatingError($_) }
    }
}
