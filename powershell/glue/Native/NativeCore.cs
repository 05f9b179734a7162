using System;
using System.Text;

namespace Okta.PowerShell.Native;

/// <summary>
/// The only caller of the generated bindings. Turns the Rust result variants into buffers or
/// real exceptions (the generated AsOk() throws a useless "Enum variant mismatch").
/// </summary>
internal static class NativeCore
{
    private static long _lastRequestId;

    /// <summary>A process-unique id for <see cref="Send"/> and <see cref="Cancel"/>.</summary>
    internal static ulong NewRequestId() => (ulong)System.Threading.Interlocked.Increment(ref _lastRequestId);

    /// <summary>Sends one request with a session; the caller owns (and must dispose) the returned buffer.</summary>
    internal static NativeResponse Send(NativeSession session, byte[] envelope, byte[] body, ulong requestId) =>
        session.Use(id => SendOn(id, envelope, body, requestId));

    private static unsafe NativeResponse SendOn(ulong session, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> body, ulong requestId)
    {
        fixed (byte* envelopePtr = envelope)
        fixed (byte* bodyPtr = body)
        {
            var result = Interop.okta_send(
                session,
                SliceByte.From((IntPtr)envelopePtr, (ulong)envelope.Length),
                SliceByte.From((IntPtr)bodyPtr, (ulong)body.Length),
                requestId);
            return new NativeResponse(Unwrap(result));
        }
    }

    /// <summary>
    /// Starts a send and waits up to <paramref name="timeoutMs"/> for what happens first (as <see cref="SendWait"/>):
    /// usually the answer itself; else an event or {"pending": true}, and <see cref="SendWait"/> follows the rest.
    /// </summary>
    internal static NativeResponse SendStart(NativeSession session, byte[] envelope, byte[] body, ulong requestId, ulong timeoutMs) =>
        session.Use(id => SendStartOn(id, envelope, body, requestId, timeoutMs));

    private static unsafe NativeResponse SendStartOn(ulong session, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> body, ulong requestId, ulong timeoutMs)
    {
        fixed (byte* envelopePtr = envelope)
        fixed (byte* bodyPtr = body)
        {
            return new NativeResponse(Unwrap(Interop.okta_send_start(
                session,
                SliceByte.From((IntPtr)envelopePtr, (ulong)envelope.Length),
                SliceByte.From((IntPtr)bodyPtr, (ulong)body.Length),
                requestId,
                timeoutMs)));
        }
    }

    /// <summary>The next event of a started send, {"pending": true} after <paramref name="timeoutMs"/>, or its answer.</summary>
    internal static NativeResponse SendWait(ulong requestId, ulong timeoutMs) =>
        new(Unwrap(Interop.okta_send_wait(requestId, timeoutMs)));

    /// <summary>Cancels a started send and forgets its answer.</summary>
    internal static void SendAbandon(ulong requestId)
    {
        Interop.okta_send_abandon(requestId); // a plain value: nothing to free
    }

    /// <summary>Starts a page stream (the first page is fetched at once); meta {"handle": n} or {"error": ...}.</summary>
    internal static NativeResponse PagesOpen(NativeSession session, byte[] envelope) =>
        session.Use(id => PagesOpenOn(id, envelope));

    private static unsafe NativeResponse PagesOpenOn(ulong session, ReadOnlySpan<byte> envelope)
    {
        fixed (byte* envelopePtr = envelope)
        {
            return new NativeResponse(Unwrap(Interop.okta_pages_open(session, SliceByte.From((IntPtr)envelopePtr, (ulong)envelope.Length))));
        }
    }

    /// <summary>The next page of a stream, framed like <see cref="Send"/>; meta {"done": true} when none is left.</summary>
    internal static NativeResponse PagesNext(ulong handle, ulong requestId) =>
        new(Unwrap(Interop.okta_pages_next(handle, requestId)));

    /// <summary>Ends a page stream and aborts its prefetch; closing twice is harmless.</summary>
    internal static void PagesClose(ulong handle)
    {
        Interop.okta_pages_close(handle); // a plain value: nothing to free
    }

    /// <summary>Cancels the <see cref="Send"/> with this id, from any thread (Ctrl+C).</summary>
    internal static void Cancel(ulong requestId)
    {
        Interop.okta_cancel(requestId); // a plain value: nothing to free; a panic there only means "not cancelled"
    }

    /// <summary>Starts a device sign-in for {"config": …}: meta {handle, userCode, verificationUri…} or {error}.</summary>
    internal static NativeResponse DeviceStart(NativeSession session) =>
        session.Use(id => new NativeResponse(Unwrap(Interop.okta_device_start(id))));

    /// <summary>Starts an interactive sign-in (PKCE, loopback redirect): meta {handle, authorizeUrl, redirectUri} or {error}.</summary>
    internal static NativeResponse InteractiveStart(NativeSession session) =>
        session.Use(id => new NativeResponse(Unwrap(Interop.okta_interactive_start(id))));

    /// <summary>Waits for a started sign-in (blocks; <see cref="Cancel"/> with the same id stops it); consumes the handle.</summary>
    internal static NativeResponse SignInWait(ulong handle, ulong requestId) =>
        new(Unwrap(Interop.okta_signin_wait(handle, requestId)));

    /// <summary>Drops a started sign-in nobody will wait for.</summary>
    internal static void SignInAbandon(ulong handle)
    {
        Interop.okta_signin_abandon(handle); // a plain value: nothing to free
    }

    /// <summary>Revokes the configuration's OAuth tokens: meta {revoked} or {error}.</summary>
    internal static NativeResponse TokenRevoke(NativeSession session) =>
        session.Use(id => new NativeResponse(Unwrap(Interop.okta_token_revoke(id))));

    /// <summary>Forgets the configuration's OAuth tokens locally: meta {removed} or {error}.</summary>
    internal static NativeResponse TokenRemove(NativeSession session) =>
        session.Use(id => new NativeResponse(Unwrap(Interop.okta_token_remove(id))));

    /// <summary>What authenticates the configuration now, no secrets: meta {mode, signedIn, hasToken, dpop} or {error}.</summary>
    internal static NativeResponse TokenStatus(NativeSession session) =>
        session.Use(id => new NativeResponse(Unwrap(Interop.okta_token_status(id))));

    /// <summary>How many sessions the core holds open now (diagnostics: leak tests).</summary>
    internal static ulong SessionCount()
    {
        var result = Interop.okta_session_count();
        if (result.IsOk) return result.AsOk();
        throw new OktaClientException(OktaClientErrorKind.Internal, "Internal error in the Okta.PowerShell native core: " + TakePanicMessage());
    }

    /// <summary>What okta.yaml files and OKTA_CLIENT_* variables set (JSON; see okta-core's setting_sources).</summary>
    internal static byte[] SettingSources()
    {
        using var bytes = Unwrap(Interop.okta_setting_sources());
        return bytes.AsSpan().ToArray();
    }

    /// <summary>Makes the core panic on purpose; the panic must come back as an exception.</summary>
    internal static void SelfTestPanic()
    {
        using var result = Interop.okta_selftest_panic();
        Unwrap(result).Dispose();
    }

    internal static VecByte Unwrap(ResultVecByteFfiError result)
    {
        if (result.IsOk) return result.AsOk();
        if (result.IsPanic)
        {
            throw new OktaClientException(OktaClientErrorKind.Internal,
                "Internal error in the Okta.PowerShell native core (please report it): " + TakePanicMessage());
        }
        throw new OktaClientException(OktaClientErrorKind.Internal,
            "Internal error in the Okta.PowerShell native core: unexpected result variant " + result);
    }

    private static string TakePanicMessage()
    {
        using var result = Interop.okta_last_panic_message();
        if (!result.IsOk) return "(no message)";
        using var bytes = result.AsOk();
        var text = Encoding.UTF8.GetString(bytes.AsSpan());
        return text.Length == 0 ? "(no message)" : text;
    }
}

/// <summary>
/// A framed response buffer from the core: [u32 meta length][meta JSON][body]. Usually Rust-owned; a refused
/// configuration's error answer, kept by its <see cref="NativeSession"/>, is a managed copy.
/// </summary>
internal sealed class NativeResponse : IDisposable
{
    private readonly VecByte? _buffer;
    private readonly byte[]? _managed;

    internal NativeResponse(VecByte buffer) => _buffer = buffer;

    private NativeResponse(byte[] managed) => _managed = managed;

    internal static NativeResponse FromManaged(byte[] framed) => new(framed);

    /// <summary>The whole frame.</summary>
    internal ReadOnlySpan<byte> Framed => _managed ?? _buffer!.AsSpan();

    internal ReadOnlySpan<byte> Meta
    {
        get
        {
            var all = Framed;
            var length = BitConverter.ToInt32(all[..4]);
            return all.Slice(4, length);
        }
    }

    internal ReadOnlySpan<byte> Body
    {
        get
        {
            var all = Framed;
            var length = BitConverter.ToInt32(all[..4]);
            return all[(4 + length)..];
        }
    }

    /// <summary>Frees the Rust allocation; safe to call more than once.</summary>
    public void Dispose() => _buffer?.Dispose();
}
