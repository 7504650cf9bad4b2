namespace RingRift.P2P.Storage;

/// <summary>
/// A write refused because the filesystem holding <see cref="Path"/> is full. The message names the
/// path and the filesystem (mount point, type, free and total bytes); the API answers it with HTTP 507
/// <c>INSUFFICIENT_STORAGE</c>. Nothing of the refused write was kept.
/// </summary>
public sealed class StorageFullException : IOException
{
    public StorageFullException(string path, string message, Exception? inner = null) : base(message, inner)
    {
        Path = path;
        HResult = OutOfSpace.Enospc;
    }

    /// <summary>The file or directory the refused write was for.</summary>
    public string Path { get; }

    /// <summary>
    /// The exception for a write to <paramref name="path"/> that failed with <paramref name="cause"/>:
    /// "no space left on device for PATH (DEVICE); CAUSE".
    /// </summary>
    public static StorageFullException For(string path, Exception? cause) =>
        cause as StorageFullException
        ?? new StorageFullException(path, $"no space left on device for {path} ({StorageDevice.Describe(path)})" +
            (cause is null ? "" : $": {cause.Message}"), cause);
}
