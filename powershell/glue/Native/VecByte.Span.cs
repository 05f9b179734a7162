using System;

namespace Okta.PowerShell.Native;

// Hand-written half of the generated VecByte: read the Rust-owned bytes without copying them.
public partial class VecByte
{
    /// <summary>A view of the bytes; valid until <see cref="Dispose"/>.</summary>
    internal unsafe ReadOnlySpan<byte> AsSpan()
    {
        if (_ptr == IntPtr.Zero) throw new ObjectDisposedException(nameof(VecByte));
        return new ReadOnlySpan<byte>((void*)_ptr, checked((int)_len));
    }
}
