using System;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Okta.PowerShell.Native;

/// <summary>
/// A session in the Rust core (okta_session_open): one configuration turned into okta-core settings once, so a call
/// sends only its request. The session shares its org's connection pool and rate-limit governor with every other
/// session of that org, so closing one and opening another (a changed token) keeps the warm connections.
/// A SafeHandle: the native session is closed exactly once — by Dispose (the configuration changed), or by the
/// finalizer (the configuration was dropped) — and never while a call holds it (SafeHandle's reference count).
/// When the configuration cannot be opened (an empty BaseUrl, a bad Proxy), the session holds the core's error
/// answer instead, and every call with it gets that answer, as it would have got it from okta_send before.
/// </summary>
internal sealed class NativeSession : SafeHandle
{
    private static long _openedCount;
    private static long _closedCount;

    /// <summary>The framed error answer of a configuration the core refused; null for an open session.</summary>
    private readonly byte[]? _openError;

    private NativeSession(ulong id, byte[]? openError) : base(IntPtr.Zero, ownsHandle: true)
    {
        _openError = openError;
        if (id != 0)
        {
            SetHandle((IntPtr)(long)id);
            System.Threading.Interlocked.Increment(ref _openedCount);
        }
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The core's handle (0 for a refused configuration).</summary>
    internal ulong Id => (ulong)(long)handle;

    /// <summary>Sessions this process opened and closed, for the leak diagnostics.</summary>
    internal static long OpenedCount => System.Threading.Interlocked.Read(ref _openedCount);
    internal static long ClosedCount => System.Threading.Interlocked.Read(ref _closedCount);

    protected override bool ReleaseHandle()
    {
        // a plain value comes back: nothing to free; a panic there only means "not closed"
        Interop.okta_session_close((ulong)(long)handle);
        System.Threading.Interlocked.Increment(ref _closedCount);
        return true;
    }

    /// <summary>Opens a session for the configuration JSON (okta-core's settings, camelCase).</summary>
    internal static unsafe NativeSession Open(ReadOnlySpan<byte> config)
    {
        NativeResponse answer;
        fixed (byte* configPtr = config)
        {
            answer = new NativeResponse(NativeCore.Unwrap(Interop.okta_session_open(SliceByte.From((IntPtr)configPtr, (ulong)config.Length))));
        }
        using (answer)
        {
            using var meta = JsonDocument.Parse(answer.Meta.ToArray());
            if (meta.RootElement.TryGetProperty("session", out var session))
            {
                return new NativeSession(session.GetUInt64(), null);
            }
            return new NativeSession(0, answer.Framed.ToArray());
        }
    }

    /// <summary>
    /// Runs a call with the session held (it cannot be closed meanwhile), or answers with the error of a refused
    /// configuration without calling the core.
    /// </summary>
    internal NativeResponse Use(Func<ulong, NativeResponse> call)
    {
        if (_openError is not null) return NativeResponse.FromManaged(_openError);
        var held = false;
        try
        {
            DangerousAddRef(ref held);
        }
        catch (ObjectDisposedException)
        {
            throw new OktaClientException(OktaClientErrorKind.Internal,
                "The Okta configuration changed while this request waited to be sent, and its session was closed; send it again.");
        }
        try
        {
            return call(Id);
        }
        finally
        {
            if (held) DangerousRelease();
        }
    }
}
