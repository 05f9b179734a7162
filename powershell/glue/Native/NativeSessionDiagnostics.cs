namespace Okta.PowerShell.Native;

/// <summary>
/// How many native sessions exist, for leak tests (and a curious user): every configuration version opens one and
/// closes the one before, so these stay flat however often a configuration changes.
/// </summary>
public static class NativeSessionDiagnostics
{
    /// <summary>Sessions the Rust core holds open now (every runspace of the process).</summary>
    public static ulong OpenInCore() => NativeCore.SessionCount();

    /// <summary>Sessions this process's glue opened so far.</summary>
    public static long Opened => NativeSession.OpenedCount;

    /// <summary>Sessions this process's glue closed so far (on a configuration change, or when one was dropped).</summary>
    public static long Closed => NativeSession.ClosedCount;
}
