using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Json;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands;

/// <summary>
/// The one base class of every API command. A generated command only declares its parameters and its
/// <see cref="OktaOperation"/>; this class builds the request, asks ShouldProcess for writes, sends it through
/// the Rust core, and writes the result (typed objects, the -WithHttpInfo hashtable, or an error record).
/// </summary>
public abstract class OktaApiCmdlet : PSCmdlet, IDisposable
{
    protected abstract OktaOperation OperationDefinition { get; }

    /// <summary>The values the request is built from: the bound parameters (the escape hatch supplies its own).</summary>
    protected virtual IDictionary<string, object?> RequestValues => MyInvocation.BoundParameters!;

    // The id of the request in flight (0 = none), for StopProcessing.
    private ulong _inFlight;

    // The -All stream being written, for StopProcessing.
    private PageFeed? _feed;

    /// <summary>Ctrl+C: cancel the request in flight; ProcessRecord then stops the pipeline.</summary>
    protected override void StopProcessing()
    {
        var id = System.Threading.Volatile.Read(ref _inFlight);
        if (id != 0) NativeCore.Cancel(id);
        System.Threading.Volatile.Read(ref _feed)?.Stop();
        foreach (var bulkId in _bulkIds.Keys) NativeCore.Cancel(bulkId);
    }

    /// <summary>
    /// How many piped items may be in flight at once (1: one after the other, as always). Results still come
    /// out in input order; the org's rate-limit governor and concurrency cap apply to all of them.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>A request ready to send: what crosses to the core, and what its answer is written with.</summary>
    private sealed record Prepared(OktaOperation Operation, NativeSession Session, byte[] Envelope, byte[] Body, object? Target, bool WithHttpInfo);

    /// <summary>A request sent on a worker thread (-ThrottleLimit above 1), in input order.</summary>
    private sealed record InFlight(Prepared Request, ulong RequestId, Task<NativeResponse> Answer, Stopwatch Clock);

    private readonly Queue<InFlight> _inFlightQueue = new();
    private readonly ConcurrentDictionary<ulong, byte> _bulkIds = new();
    private int _bulkDone;
    private int _bulkFailed;
    private readonly Stopwatch _bulkClock = new();

    /// <summary>
    /// The named configuration to use (Set-OktaConfiguration -Name), instead of the runspace's current one: for
    /// scripts that talk to several orgs.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ConfigurationNameCompleter))]
    public string? Configuration { get; set; }

    private OktaConfiguration? _configuration;

    protected override void BeginProcessing()
    {
        FormatDataLoader.EnsureLoaded(this);
        var configurations = NamedConfigurations.OfThisRunspace;
        configurations.FlushWarnings(this);
        try
        {
            _configuration = configurations.Resolve(Configuration, nameof(Configuration));
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(new ErrorRecord(exception, "UnknownConfiguration", ErrorCategory.InvalidArgument, Configuration));
        }
    }

    protected override void ProcessRecord()
    {
        var operation = OperationDefinition;
        var request = new RequestBuilder(operation, RequestValues) { Configuration = _configuration ?? OktaConfiguration.Current };
        if (request.MissingPathParameter() is { } missing)
        {
            var exception = new OktaClientException(OktaClientErrorKind.InvalidRequest,
                $"{MyInvocation.MyCommand.Name}: the parameter -{missing} is required (or pass -Uri).", missing);
            ThrowTerminatingError(new ErrorRecord(exception, "MissingParameter," + missing, ErrorCategory.InvalidArgument, missing));
        }

        // Nothing is sent unless ShouldProcess approved it. When it cannot ask (no interactive host) it throws,
        // and the exception ends the command here, before the request exists.
        if (operation.Writes && !Approved(operation, request)) return;

        if (request.All || FollowInterval is not null)
        {
            StreamPages(operation, request);
            return;
        }

        byte[] body;
        try
        {
            body = request.Body(SessionState);
        }
        catch (OktaClientException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidBody", ErrorCategory.InvalidArgument, request.Target));
            return;
        }
        var prepared = new Prepared(operation, request.Session, request.Envelope().WrittenSpan.ToArray(), body, request.Target, request.WithHttpInfo);

        if (ThrottleLimit > 1)
        {
            SendInBackground(prepared);
            return;
        }
        var stopwatch = Stopwatch.StartNew();
        var requestId = NativeCore.NewRequestId();
        System.Threading.Volatile.Write(ref _inFlight, requestId);
        NativeResponse response;
        try
        {
            response = SendAndReport(prepared, requestId);
        }
        finally
        {
            System.Threading.Volatile.Write(ref _inFlight, 0UL);
        }
        Deliver(prepared, response, stopwatch, bulk: false);
    }

    /// <summary>A wait longer than this also writes a Warning and a progress bar with the time left.</summary>
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends one request and, while the core waits (a retry after a 429 or a 503, a rate-limit hold), says so
    /// through -Verbose at once, and for a long wait through a Warning and a progress bar counting down.
    /// </summary>
    private NativeResponse SendAndReport(Prepared prepared, ulong requestId)
    {
        var operation = prepared.Operation;
        ProgressRecord? countdown = null;
        var waitEnds = DateTime.MinValue;
        var done = false;
        var first = true;
        try
        {
            while (true)
            {
                // the first pull starts the send: most answers come back from this one crossing
                var answer = first
                    ? NativeCore.SendStart(prepared.Session, prepared.Envelope, prepared.Body, requestId, 250)
                    : NativeCore.SendWait(requestId, 250);
                first = false;
                var keep = false;
                try
                {
                    // Most pulls bring the answer itself: leave its meta to Deliver (parsed once per call).
                    if (!IsInterim(answer.Meta))
                    {
                        keep = true;
                        done = true;
                        return answer;
                    }
                    using var meta = JsonDocument.Parse(answer.Meta.ToArray());
                    var root = meta.RootElement;
                    if (root.TryGetProperty("pending", out _))
                    {
                        if (countdown is not null && waitEnds > DateTime.UtcNow)
                        {
                            var left = waitEnds - DateTime.UtcNow;
                            countdown.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
                            countdown.StatusDescription = $"{left.TotalSeconds:n0} s left";
                            WriteProgress(countdown);
                        }
                        continue;
                    }
                    if (root.TryGetProperty("event", out var happened))
                    {
                        var reason = Text(happened, "reason");
                        if (Text(happened, "kind") == "pacing")
                        {
                            WriteVerbose($"{operation.Method} {operation.Path}: holding attempt {Text(happened, "attempt")}: {reason}");
                            continue;
                        }
                        var wait = TimeSpan.FromMilliseconds(happened.TryGetProperty("waitMs", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetDouble() : 0);
                        var outcome = happened.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.ToString() : Text(happened, "failure");
                        WriteVerbose($"{operation.Method} {operation.Path}: attempt {Text(happened, "attempt")} -> {outcome}; retrying in {wait.TotalMilliseconds:n0} ms: {reason}");
                        if (wait > LongWait)
                        {
                            WriteWarning($"{MyInvocation.MyCommand.Name}: waiting {wait.TotalSeconds:n0} s before retrying {operation.Method} {operation.Path} ({reason}).");
                            waitEnds = DateTime.UtcNow + wait;
                            countdown = new ProgressRecord(3, MyInvocation.MyCommand.Name, $"Waiting to retry {operation.Method} {operation.Path}");
                        }
                        continue;
                    }
                    keep = true;
                    done = true;
                    return answer;
                }
                finally
                {
                    if (!keep) answer.Dispose();
                }
            }
        }
        finally
        {
            if (countdown is not null)
            {
                countdown.RecordType = ProgressRecordType.Completed;
                WriteProgressSafely(countdown);
            }
            // stopped (Ctrl+C) or failed while waiting: cancel the send and drop its answer
            if (!done) NativeCore.SendAbandon(requestId);
        }
    }

    /// <summary>
    /// Whether a pull brought news of a send still going (<c>{"pending": ...}</c> or <c>{"event": ...}</c>, always
    /// the first property) rather than its answer. Reads only the first property name, without copying the meta.
    /// </summary>
    internal static bool IsInterim(ReadOnlySpan<byte> meta)
    {
        var reader = new Utf8JsonReader(meta);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) return false;
        return reader.ValueTextEquals("pending"u8) || reader.ValueTextEquals("event"u8);
    }

    /// <summary>Writes one answer: its attempt log, then its objects or its error.</summary>
    private bool Deliver(Prepared prepared, NativeResponse response, Stopwatch stopwatch, bool bulk)
    {
        var operation = prepared.Operation;
        using (response)
        {
            using var meta = JsonDocument.Parse(response.Meta.ToArray());
            var root = meta.RootElement;
            WriteAttempts(operation, root);
            if (root.TryGetProperty("error", out var error))
            {
                if (error.GetProperty("kind").GetString() == "cancelled") throw new PipelineStoppedException();
                WriteVerbose($"{operation.Method} {operation.Path} failed after {stopwatch.ElapsedMilliseconds} ms");
                Fail(ErrorRecords.From(error, response.Body), prepared.Target, bulk);
                return false;
            }
            var status = root.GetProperty("status").GetInt32();
            WriteVerbose($"{operation.Method} {operation.Path} -> {status} in {stopwatch.ElapsedMilliseconds} ms");
            var result = ResponseContent.Read(operation, response.Body, status, root);
            if (prepared.WithHttpInfo)
            {
                WriteObject(HttpInfo(result, status, root));
            }
            else if (result is not null)
            {
                WriteObject(result, enumerateCollection: result is not byte[]);
            }
            return true;
        }
    }

    /// <summary>-ThrottleLimit above 1: send on a worker thread; write the oldest answers once the window is full.</summary>
    private void SendInBackground(Prepared prepared)
    {
        if (!_bulkClock.IsRunning) _bulkClock.Start();
        var requestId = NativeCore.NewRequestId();
        _bulkIds[requestId] = 0;
        var clock = Stopwatch.StartNew();
        var answer = Task.Run(() => NativeCore.Send(prepared.Session, prepared.Envelope, prepared.Body, requestId));
        _inFlightQueue.Enqueue(new InFlight(prepared, requestId, answer, clock));
        while (_inFlightQueue.Count >= ThrottleLimit) DeliverOldest();
    }

    private void DeliverOldest()
    {
        var next = _inFlightQueue.Dequeue();
        NativeResponse response;
        try
        {
            response = next.Answer.GetAwaiter().GetResult();
        }
        finally
        {
            _bulkIds.TryRemove(next.RequestId, out _);
        }
        if (Deliver(next.Request, response, next.Clock, bulk: true)) _bulkDone++; else _bulkFailed++;
        var seconds = Math.Max(_bulkClock.Elapsed.TotalSeconds, 0.001);
        WriteProgress(new ProgressRecord(2, MyInvocation.MyCommand.Name, "Sending")
        {
            StatusDescription = $"{_bulkDone} done, {_bulkFailed} failed, {(_bulkDone + _bulkFailed) / seconds:n1}/s",
        });
    }

    protected override void EndProcessing()
    {
        while (_inFlightQueue.Count > 0) DeliverOldest();
        if (_bulkClock.IsRunning)
        {
            WriteProgress(new ProgressRecord(2, MyInvocation.MyCommand.Name, "Sending") { RecordType = ProgressRecordType.Completed });
            WriteVerbose($"{MyInvocation.MyCommand.Name}: {_bulkDone} done, {_bulkFailed} failed in {_bulkClock.ElapsedMilliseconds} ms");
        }
    }

    /// <summary>
    /// The pipeline ended early (Ctrl+C, an error, Select-Object -First): cancel what is still in flight and
    /// free every answer exactly once. Requests already answered were applied; they are counted in -Verbose.
    /// </summary>
    public void Dispose()
    {
        foreach (var id in _bulkIds.Keys) NativeCore.Cancel(id);
        while (_inFlightQueue.Count > 0)
        {
            var left = _inFlightQueue.Dequeue();
            try
            {
                left.Answer.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception)
            {
                // a send that failed has nothing to free
            }
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// -All: every page, each one's objects written as soon as it arrives while the core already fetches
    /// the next. Stopping early (Select-Object -First, Ctrl+C, an error) closes the stream, which aborts
    /// the page in flight.
    /// </summary>
    private void StreamPages(OktaOperation operation, RequestBuilder request)
    {
        var end = operation.EndlessNextLink ? "empty" : "next";
        if (FollowInterval is { } interval) end = "follow:" + (long)interval.TotalMilliseconds;
        ulong handle;
        using (var opened = NativeCore.PagesOpen(request.Session, request.Envelope(end).WrittenSpan.ToArray()))
        {
            using var meta = JsonDocument.Parse(opened.Meta.ToArray());
            if (meta.RootElement.TryGetProperty("error", out var error))
            {
                Fail(ErrorRecords.From(error, opened.Body), request.Target);
                return;
            }
            handle = meta.RootElement.GetProperty("handle").GetUInt64();
        }
        var pages = 0;
        long objects = 0;
        double fetchWaitedMs = 0, convertMs = 0, pipelineWaitedMs = 0;
        var stopwatch = Stopwatch.StartNew();
        var progress = new ProgressRecord(1, MyInvocation.MyCommand.Name, "Reading pages");
        using var feed = new PageFeed(handle, operation);
        System.Threading.Volatile.Write(ref _feed, feed);
        try
        {
            while (true)
            {
                PageFeed.Item item;
                var waiting = Stopwatch.StartNew();
                try
                {
                    item = feed.Next();
                    pipelineWaitedMs += waiting.Elapsed.TotalMilliseconds;
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                switch (item)
                {
                    case PageFeed.End:
                        return;
                    case PageFeed.Fault fault:
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(fault.Exception).Throw();
                        return;
                    case PageFeed.Failure failure:
                        if (failure.Error.GetProperty("kind").GetString() == "cancelled") throw new PipelineStoppedException();
                        Fail(ErrorRecords.From(failure.Error, failure.Body), request.Target);
                        return;
                    case PageFeed.Page page:
                        var root = page.Meta;
                        WriteAttempts(operation, root);
                        var result = page.Result;
                        pages++;
                        objects += result is object[] list ? list.Length : result is null ? 0 : 1;
                        fetchWaitedMs += page.WaitedMs;
                        convertMs += page.ConvertMs;
                        // Which stage bounds the stream: waiting for Okta (fetch), turning JSON into objects (convert),
                        // or the commands downstream (the rest of the time, when the pipeline seldom waits).
                        WriteVerbose($"{operation.Method} {operation.Path} page {pages} -> {page.Status}, {objects} objects in {stopwatch.ElapsedMilliseconds} ms (worker waited {fetchWaitedMs:n0} ms for pages and converted for {convertMs:n0} ms; the pipeline waited {pipelineWaitedMs:n0} ms for it)");
                        progress.StatusDescription = $"{pages} pages, {objects} objects, {objects / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):n0}/s";
                        WriteProgress(progress);
                        if (request.WithHttpInfo)
                        {
                            WriteObject(HttpInfo(result, page.Status, root));
                        }
                        else if (result is not null)
                        {
                            WriteObject(result, enumerateCollection: result is not byte[]);
                        }
                        if (!page.More) return;
                        break;
                }
            }
        }
        finally
        {
            System.Threading.Volatile.Write(ref _feed, null);
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgressSafely(progress);
        }
    }

    /// <summary>Tail mode of a page stream (Get-OktaLogs -Follow): how long to wait after an empty page.</summary>
    protected virtual TimeSpan? FollowInterval => null;

    private void WriteProgressSafely(ProgressRecord record)
    {
        try
        {
            WriteProgress(record);
        }
        catch (PipelineStoppedException)
        {
            // the pipeline is ending (Ctrl+C, Select-Object -First): nothing left to report to
        }
        catch (InvalidOperationException)
        {
            // writing from a finally after the command was stopped
        }
    }

    private static Hashtable HttpInfo(object? result, int status, JsonElement root) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Response"] = result,
        ["StatusCode"] = status,
        ["Headers"] = ResponseHeaders.From(root.GetProperty("headers")),
        ["NextPageUri"] = root.TryGetProperty("nextUri", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null,
    };

    /// <summary>
    /// The core's attempt log as -Verbose lines: a wait before sending (rate-limit pacing), each attempt,
    /// and each retry with its reason. Never a header or a token: the log holds none.
    /// </summary>
    private void WriteAttempts(OktaOperation operation, JsonElement root)
    {
        if (!root.TryGetProperty("attempts", out var attempts) || attempts.ValueKind != JsonValueKind.Array || attempts.GetArrayLength() == 0) return;
        if (attempts.GetArrayLength() == 1 && !Waited(attempts[0])) return;
        foreach (var attempt in attempts.EnumerateArray())
        {
            var number = attempt.TryGetProperty("attempt", out var n) ? n.ToString() : "?";
            if (attempt.TryGetProperty("pacedMs", out var paced) && paced.ValueKind == JsonValueKind.Number && paced.GetDouble() > 0)
            {
                WriteVerbose($"{operation.Method} {operation.Path}: held {paced.GetDouble():n0} ms before attempt {number}: {Text(attempt, "pacedReason")}");
            }
            var outcome = attempt.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.ToString() : Text(attempt, "failure");
            WriteVerbose($"{operation.Method} {operation.Path}: attempt {number} -> {outcome} in {Text(attempt, "elapsedMs")} ms");
            switch (Text(attempt, "next"))
            {
                case "retry":
                    WriteVerbose($"{operation.Method} {operation.Path}: retrying in {Text(attempt, "waitMs")} ms: {Text(attempt, "reason")}");
                    break;
                case "giveUp":
                    WriteVerbose($"{operation.Method} {operation.Path}: giving up: {Text(attempt, "reason")}");
                    break;
            }
        }
    }

    private static bool Waited(JsonElement attempt) =>
        (attempt.TryGetProperty("pacedMs", out var paced) && paced.ValueKind == JsonValueKind.Number && paced.GetDouble() > 0)
        || Text(attempt, "next") is "retry" or "giveUp";

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.ToString()) : "";

    private bool Approved(OktaOperation operation, RequestBuilder request)
    {
        var url = request.DisplayUrl(request.Configuration["BaseUrl"] as string);
        var target = request.Target is { } t && t is not PSObject && t is not IDictionary ? $" (target: {t})" : "";
        var description = $"{operation.Method} {url}{target}";
        return ShouldProcess(
            description,
            $"{MyInvocation.MyCommand.Name} will send {description}. Continue?",
            "Confirm");
    }

    /// <summary>
    /// An API error for one piped item is a non-terminating error (the next items go on; -ErrorAction Stop
    /// makes it terminating). A direct call throws, as the official module and Invoke-RestMethod do, so
    /// scripts' try/catch keeps working. Errors before Okta answered (configuration, transport) stop the command.
    /// </summary>
    private void Fail(ErrorRecord record, object? target, bool bulk = false)
    {
        var withTarget = new ErrorRecord(record.Exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, target)
        {
            ErrorDetails = record.ErrorDetails,
        };
        // In a bulk send, a lost connection is one item's fate too: the others are already on their way.
        var itemError = record.Exception is OktaApiException
            || (bulk && record.Exception is OktaClientException { Kind: OktaClientErrorKind.Transport });
        if (MyInvocation.ExpectingInput && itemError)
        {
            WriteError(withTarget);
            return;
        }
        ThrowTerminatingError(withTarget);
    }
}

/// <summary>How an answer body becomes output: JSON → typed objects; other declared types → text or bytes.</summary>
internal static class ResponseContent
{
    internal static object? Read(OktaOperation operation, ReadOnlySpan<byte> body, int status, JsonElement meta)
    {
        if (body.IsEmpty || status == 204) return null;
        var declared = operation.ResponseContentType;
        var actual = HeaderValue(meta, "content-type");
        if (declared is not null && !declared.Contains("json", StringComparison.OrdinalIgnoreCase)
            && (actual is null || !actual.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            return IsText(actual ?? declared) ? Encoding.UTF8.GetString(body) : body.ToArray();
        }
        object? parsed;
        try
        {
            parsed = JsonToPSObject.Parse(body);
        }
        catch (JsonException e)
        {
            var requestId = meta.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            // Okta answered 2xx: a write was applied, only its answer is unreadable. Say so, so nobody re-sends it.
            var applied = operation.Writes
                ? $" The change was applied (status {status}{(requestId is null ? "" : ", X-Okta-Request-Id " + requestId)}); read the resource again instead of repeating the request."
                : "";
            throw new OktaClientException(OktaClientErrorKind.Transport,
                $"{operation.Method} {operation.Path} answered {status} with a body that is not valid JSON ({body.Length} bytes): {e.Message}.{applied}", "body");
        }
        OktaTypeNames.Apply(parsed, operation.Returns);
        return parsed;
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("pem", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("pkcs10", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("jwt", StringComparison.OrdinalIgnoreCase);

    private static string? HeaderValue(JsonElement meta, string name)
    {
        if (!meta.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Array) return null;
        foreach (var pair in headers.EnumerateArray())
        {
            if (pair.GetArrayLength() == 2 && string.Equals(pair[0].GetString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].GetString();
            }
        }
        return null;
    }
}
