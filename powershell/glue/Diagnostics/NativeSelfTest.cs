using Okta.PowerShell.Native;

namespace Okta.PowerShell.Diagnostics;

/// <summary>
/// Checks of the native boundary that tests (and a curious user) can run from PowerShell.
/// </summary>
public static class NativeSelfTest
{
    /// <summary>
    /// Makes the Rust core panic on purpose. It must surface as an <see cref="OktaClientException"/>
    /// of kind Internal, with nothing printed to the console and the process alive.
    /// </summary>
    public static void Panic() => NativeCore.SelfTestPanic();
}
