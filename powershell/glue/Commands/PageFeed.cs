using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands;

/// <summary>
/// The pages of one -All stream, pulled from the core and turned into objects on a worker thread, one page
/// ahead of the pipeline thread. Converting JSON to PSObjects is most of what a page costs this side (tens of
/// microseconds a user: PowerShell's note properties are not cheap); done here, it overlaps the work of the
/// commands downstream instead of adding to it, while the core already fetches the page after. At most one
/// converted page waits for the pipeline, so memory stays bounded however many pages stream.
/// </summary>
internal sealed class PageFeed : IDisposable
{
    /// <summary>What the worker hands over: a page, Okta's (or the core's) error, a conversion fault, or the end.</summary>
    internal abstract record Item;

    /// <summary>
    /// A converted page; <see cref="Meta"/> is the core's page meta (status, headers, nextUri, more).
    /// <see cref="WaitedMs"/> is how long the worker waited for the core to have it, <see cref="ConvertMs"/> how
    /// long it took to turn into objects (for -Verbose: which stage bounds the stream).
    /// </summary>
    internal sealed record Page(object? Result, int Status, JsonElement Meta, bool More, double WaitedMs, double ConvertMs) : Item;

    /// <summary>The stream failed: <see cref="Error"/> is the meta's "error" object, <see cref="Body"/> Okta's error body.</summary>
    internal sealed record Failure(JsonElement Error, byte[] Body) : Item;

    /// <summary>The page arrived but could not be read (e.g. not JSON); rethrown on the pipeline thread.</summary>
    internal sealed record Fault(Exception Exception) : Item;

    internal sealed record End : Item;

    private readonly ulong _handle;
    private readonly OktaOperation _operation;
    // A hand-over: the worker converts the next page while this one is written, then waits until it is taken.
    private readonly BlockingCollection<Item> _ready = new(boundedCapacity: 1);
    private readonly SemaphoreSlim _taken = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _worker;
    private ulong _inFlight;
    private int _disposed;

    internal PageFeed(ulong handle, OktaOperation operation)
    {
        _handle = handle;
        _operation = operation;
        _worker = new Thread(Run) { IsBackground = true, Name = "Okta page feed" };
        _worker.Start();
    }

    /// <summary>The next item, waiting for it; <see cref="OperationCanceledException"/> once <see cref="Stop"/> was called.</summary>
    internal Item Next()
    {
        var item = _ready.Take(_stop.Token);
        _taken.Release();
        return item;
    }

    /// <summary>From any thread (Ctrl+C): cancels the page in flight and wakes the pipeline thread.</summary>
    internal void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return; // already over
        }
        var id = Volatile.Read(ref _inFlight);
        if (id != 0) NativeCore.Cancel(id);
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var item = Fetch(out var last);
                _ready.Add(item, _stop.Token);
                if (last) return;
                _taken.Wait(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped while waiting for the pipeline to take a page
        }
        catch (Exception e)
        {
            // never lose a fault on the worker: the pipeline thread rethrows it
            _ready.TryAdd(new Fault(e));
        }
    }

    /// <summary>Pulls and converts one page; <paramref name="last"/> when nothing follows it.</summary>
    private Item Fetch(out bool last)
    {
        last = true;
        var requestId = NativeCore.NewRequestId();
        Volatile.Write(ref _inFlight, requestId);
        // A Stop that came before the id was published would be missed by the core; check again.
        if (_stop.IsCancellationRequested) NativeCore.Cancel(requestId);
        NativeResponse page;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            page = NativeCore.PagesNext(_handle, requestId);
        }
        finally
        {
            Volatile.Write(ref _inFlight, 0UL);
        }
        using (page)
        {
            using var meta = JsonDocument.Parse(page.Meta.ToArray());
            var root = meta.RootElement;
            if (root.TryGetProperty("done", out _)) return new End();
            if (root.TryGetProperty("error", out var error)) return new Failure(error.Clone(), page.Body.ToArray());
            var status = root.GetProperty("status").GetInt32();
            var waited = clock.Elapsed.TotalMilliseconds;
            object? result;
            try
            {
                result = ResponseContent.Read(_operation, page.Body, status, root);
            }
            catch (Exception e)
            {
                return new Fault(e);
            }
            last = !root.TryGetProperty("more", out var more) || !more.GetBoolean();
            CollectBehind(page.Body.Length);
            return new Page(result, status, root.Clone(), !last, waited, clock.Elapsed.TotalMilliseconds - waited);
        }
    }

    /// <summary>How much JSON may stream between two full collections at first (see <see cref="CollectBehind"/>).</summary>
    private const long CollectEveryBytes = 32L << 20;

    private long _collectEvery = CollectEveryBytes;
    private long _bytesSinceCollect;
    private int _gen2Seen = GC.CollectionCount(2);
    private long _lastFullIndex = -1;
    private long _lastSurvived = -1;

    /// <summary>
    /// Keeps the working set flat however long the stream. Every page's objects are still alive (queued or being
    /// written) when a young collection runs, so they are promoted and die in the oldest generation, which the
    /// runtime collects lazily: measured, streaming 1,000,000 users grew the working set by 790 MiB, all of it
    /// garbage (10 MiB live after a full collection). So after every 32 MiB of JSON, unless the runtime ran a full
    /// collection itself meanwhile, ask for one in the background (concurrent, not compacting): the pipeline
    /// does not stop for it, and the space it frees is reused by the pages that follow.
    /// <para>
    /// A script that keeps the objects (<c>$all = ... -All</c>) gains nothing from those collections and pays for
    /// marking an ever larger heap. So when what survived the last full collection grew by more than half the
    /// JSON streamed since, the interval doubles (up to 1 GiB of JSON); once survivors stop growing it drops back.
    /// </para>
    /// </summary>
    private void CollectBehind(int pageBytes)
    {
        _bytesSinceCollect += pageBytes;
        if (_bytesSinceCollect < _collectEvery) return;
        var streamed = _bytesSinceCollect;
        _bytesSinceCollect = 0;
        if (LastFullCollection() is { } last && last.Index != _lastFullIndex)
        {
            var survived = last.PromotedBytes;
            var kept = _lastSurvived >= 0 && survived - _lastSurvived > streamed / 2;
            _collectEvery = kept ? Math.Min(_collectEvery * 2, 1L << 30) : CollectEveryBytes;
            _lastFullIndex = last.Index;
            _lastSurvived = survived;
        }
        var gen2 = GC.CollectionCount(2);
        if (gen2 == _gen2Seen) GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);
        _gen2Seen = GC.CollectionCount(2);
    }

    /// <summary>The latest full collection, background or blocking (null before the first).</summary>
    private static GCMemoryInfo? LastFullCollection()
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var last = background.Index >= blocking.Index ? background : blocking;
        return last.Index > 0 ? last : null;
    }

    /// <summary>Stops the worker, waits for it (so no page is pulled after this), then ends the core's stream.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Stop();
        _worker.Join();
        NativeCore.PagesClose(_handle);
        _stop.Dispose();
        _ready.Dispose();
        _taken.Dispose();
    }
}
