namespace Interstice.Wasm.Wasi.Abi;

/// <summary>
/// Sizes and field offsets of the preview1 structures the host reads or writes in guest memory
/// (wasm32, little-endian, natural alignment), as given by the witx definitions.
/// </summary>
internal static class Layouts
{
    /// <summary><c>iovec</c> / <c>ciovec</c>: buf (u32) at 0, buf_len (u32) at 4.</summary>
    public const int IovecSize = 8;

    /// <summary><c>fdstat</c>: fs_filetype (u8) at 0, fs_flags (u16) at 2, fs_rights_base (u64) at 8, fs_rights_inheriting (u64) at 16.</summary>
    public const int FdstatSize = 24;

    /// <summary><c>filestat</c>: dev at 0, ino at 8, filetype (u8) at 16, nlink at 24, size at 32, atim at 40, mtim at 48, ctim at 56.</summary>
    public const int FilestatSize = 64;

    /// <summary><c>prestat</c>: tag (u8, 0 = dir) at 0, pr_name_len (u32) at 4.</summary>
    public const int PrestatSize = 8;

    /// <summary><c>dirent</c> header: d_next (u64) at 0, d_ino (u64) at 8, d_namlen (u32) at 16, d_type (u8) at 20; the name follows.</summary>
    public const int DirentSize = 24;

    /// <summary>
    /// <c>subscription</c>: userdata (u64) at 0, tag (u8) at 8, then the union at 16 — clock: id (u32)
    /// at 16, timeout (u64) at 24, precision (u64) at 32, flags (u16) at 40; fd_read/fd_write: fd (u32) at 16.
    /// </summary>
    public const int SubscriptionSize = 48;

    /// <summary><c>event</c>: userdata (u64) at 0, error (u16) at 8, type (u8) at 10, nbytes (u64) at 16, flags (u16) at 24.</summary>
    public const int EventSize = 32;

    /// <summary><c>subclockflags</c>: the timeout is an absolute time of the clock, not a duration.</summary>
    public const ushort SubscriptionClockAbsolute = 1;
}
