namespace RingRift.P2P.Storage;

/// <summary>
/// Recognises a write that failed because the filesystem has no room left, wherever in an exception's
/// chain the cause sits: the node's own <see cref="StorageFullException"/>, or an <see cref="IOException"/>
/// carrying errno ENOSPC (28, "No space left on device") or EDQUOT (122, "Disk quota exceeded") as .NET
/// reports them on Linux, or the Windows disk-full codes. SQLite's SQLITE_FULL is turned into a
/// <see cref="StorageFullException"/> by the SQLite queue itself.
/// </summary>
public static class OutOfSpace
{
    /// <summary>Linux errno for "No space left on device".</summary>
    public const int Enospc = 28;

    /// <summary>Linux errno for "Disk quota exceeded".</summary>
    public const int Edquot = 122;

    /// <summary>Windows ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL as HRESULTs.</summary>
    private const int HandleDiskFull = unchecked((int)0x80070027), DiskFull = unchecked((int)0x80070070);

    /// <summary>How deep an exception chain is followed (inner and aggregated exceptions).</summary>
    private const int MaxDepth = 16;

    /// <summary>True when <paramref name="error"/> or one of its causes says the filesystem is full.</summary>
    public static bool Is(Exception? error) => Find(error) is not null;

    /// <summary>The exception in <paramref name="error"/>'s chain that says the filesystem is full, or null.</summary>
    public static Exception? Find(Exception? error)
    {
        var pending = new Stack<(Exception Error, int Depth)>();
        if (error is not null) pending.Push((error, 0));
        while (pending.TryPop(out var entry))
        {
            var (current, depth) = entry;
            if (current is StorageFullException || IsFullCode(current)) return current;
            if (depth >= MaxDepth) continue;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions) pending.Push((inner, depth + 1));
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push((inner, depth + 1));
            }
        }
        return null;
    }

    private static bool IsFullCode(Exception error) =>
        error is IOException && error.HResult is Enospc or Edquot or HandleDiskFull or DiskFull;
}
